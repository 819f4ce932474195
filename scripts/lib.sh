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

# new_wine_prefix DIR: a throwaway 64-bit Wine prefix in DIR/prefix (exports WINEPREFIX, quiet
# WINEDEBUG, no Mono or Gecko prompts) with the bcryptprimitives.dll stand-in Wine 8.0 lacks
# (built from scripts/wine/). Sets $wine and $wineserver.
new_wine_prefix() {
  wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
  wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
  export WINEPREFIX=$1/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  "$wine" wineboot -i >"$1/wineboot.log" 2>&1
  "$wineserver" -w
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$here/wine/bcryptprimitives.c" "$here/wine/bcryptprimitives.def" -ladvapi32
}

# fail WHY (the Wine checks): says why, keeps a picture of the screen ($shot, or failed.png in
# $work) and prints the end of every log ($work/*.log, the app's own under $data/logs), exits 1.
fail() {
  echo "FAIL: $*"
  import -window root "${shot:-$work/failed.png}" 2>/dev/null && echo "the screen: ${shot:-$work/failed.png}"
  for f in "$work"/*.log "${data:-/nonexistent}"/logs/*; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  exit 1
}

# shot NAME [WAIT]: after WAIT seconds (1), the whole screen to $out/NAME.png.
shot() { sleep "${2:-1}"; import -window root "$out/$1.png"; echo "wrote $out/$1.png"; }

# rest_click X Y [WAIT]: the pointer goes there first and rests, then the click comes, then WAIT
# seconds (1): the frame a move brings lays a dialog out anew (it grows and moves up when a
# choice adds lines), and only then does the click land.
rest_click() { xdotool mousemove "$1" "$(($2 + 1))"; sleep 0.4; xdotool mousemove "$1" "$2"; sleep 0.4
  xdotool click 1; sleep "${3:-1}"; }
