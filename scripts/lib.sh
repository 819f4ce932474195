# Shared by the scripts that run the app in a private X server (sourced, not run).

# start_xvfb WIDTHxHEIGHT: starts Xvfb on a free display number, exports DISPLAY and sets $xvfb to
# its process id (the caller's EXIT trap kills it).
start_xvfb() {
  local disp=:$((100 + RANDOM % 400))
  Xvfb "$disp" -screen 0 "${1}x24" -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=$disp
  sleep 1
}
