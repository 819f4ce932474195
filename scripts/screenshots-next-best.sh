#!/usr/bin/env bash
# Screenshots of "never a dead end", from the demo in the real window under Xvfb:
#   price-ceiling.png  a ceiling of ₹12 in Settings: dearer offers greyed, with the reason
#   other-server.png   "Other server…" on a sold-out row: the next best server's confirmation
#   try-next-best.png  the same confirmation with "If this server has no numbers, try the next
#                      best, up to …" ticked
#   run-next-best.png  six numbers asked where five are left: five bought, and the message offers
#                      the best other server for one more
# Demo codes are held back for an hour, so no number gets one.
#   scripts/screenshots-next-best.sh [OUT_DIR] [APP]   (default docs/screenshots, the debug build)
# Needs: xvfb xdotool imagemagick. Takes about a minute.
set -u
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
app=${2:-target/debug/instaotp-desktop}
mkdir -p "$out"
. scripts/lib.sh
start_xvfb 1100x720
apppid=
trap 'kill $apppid $xvfb 2>/dev/null || true' EXIT
click() { rest_click "$@"; }
# demo [SETTINGS_JSON]: a fresh demo in its own data folder, its window focused.
demo() {
  [ -n "$apppid" ] && { kill "$apppid" 2>/dev/null; wait "$apppid" 2>/dev/null; }
  local data rt
  data=$(mktemp -d); rt=$(mktemp -d); chmod 700 "$rt"
  [ -n "${1:-}" ] && echo "$1" >"$data/settings.json"
  XDG_RUNTIME_DIR=$rt INSTAOTP_DEMO_CODE_SECS=3600 "$app" --demo --data-dir "$data" >"$data/demo.log" 2>&1 &
  apppid=$!
  sleep 8   # the window, the demo and its offers
  wid=$(xdotool search --sync --name "InstaOTP Desktop" | tail -1)
  xdotool windowfocus --sync "$wid" || true
}

demo '{"max_price": "12"}'
xdotool mousemove 990 181; sleep 0.3; xdotool mousemove 990 180   # a greyed Buy: its reason
shot price-ceiling 1.5
click 1022 206 1.5    # "Other server…" on the sold-out Telegram, India, server 1
xdotool mousemove 900 600
shot other-server 1
click 327 295 1       # "If this server has no numbers, try the next best": "up to …" appears
xdotool mousemove 900 600
shot try-next-best 1

demo ''
xdotool key ctrl+f; sleep 0.5; xdotool type --delay 60 "WeChat"; sleep 1
click 990 180 1.5     # Buy on WeChat, India, server 3 (five left)
click 522 201 0.6     # How many numbers: 6
xdotool key ctrl+a; xdotool type --delay 100 6; xdotool key Tab; sleep 1
click 410 447 1       # "Buy for ₹165.00 (6 numbers)": asked again
click 383 465 6       # "Yes, buy 6 numbers": five bought, the sixth refused
xdotool mousemove 700 400
shot run-next-best 1
