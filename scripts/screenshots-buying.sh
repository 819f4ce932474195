#!/usr/bin/env bash
# Screenshots of buying several numbers and of a replaced order, from the demo in the real window
# under Xvfb: the confirmation with a quantity and "Replace a number that gets no code" on, then
# (after the demo's 2 minute cancel lock) the orders bought to replace the numbers that got no code,
# and the history saying which number replaced which.
# Demo codes are held back for an hour, so no number gets one.
#   scripts/screenshots-buying.sh [OUT_DIR] [APP]   (default docs/screenshots, the debug build)
# Needs: xvfb xdotool imagemagick. Takes about three minutes.
set -u
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
app=${2:-target/debug/instaotp-desktop}
mkdir -p "$out"
. scripts/lib.sh
start_xvfb 1100x720
data=$(mktemp -d); rt=$(mktemp -d); chmod 700 "$rt"
# The wait the confirmation offers first: the demo's cancel lock.
echo '{"replace_wait_secs": 120}' >"$data/settings.json"
XDG_RUNTIME_DIR=$rt INSTAOTP_DEMO_CODE_SECS=3600 "$app" --demo --data-dir "$data" >"$data/demo.log" 2>&1 &
apppid=$!
trap 'kill $apppid $xvfb 2>/dev/null || true' EXIT
sleep 8   # the window, the demo and its offers
wid=$(xdotool search --sync --name "InstaOTP Desktop" | head -1)
xdotool windowfocus --sync "$wid" || true
click() { rest_click "$@"; }

click 990 180 1.5     # Buy on WhatsApp, India, server 1 (the second row)
click 327 478 1       # "Replace a number that gets no code": the dialog grows and moves up
click 562 243 1       # + : 2 numbers; "Total" and "You will get 2 numbers." push + up
click 562 222 1       # + : 3 numbers ("Buy 3 numbers?")
click 411 489 0.5     # At most … replacements
xdotool key ctrl+a; xdotool type --delay 100 3; xdotool key Tab; sleep 0.5
xdotool mousemove 900 700
shot buy-several 1
click 406 624 3       # "Buy for ₹37.50 (3 numbers)"
sleep 140             # the 2 minute wait and lock, and a little: each number is replaced
xdotool mousemove 900 690   # (the notes have faded by now)
shot replaced-order 1
xdotool mousemove 700 400
for _ in $(seq 1 15); do xdotool click 5; sleep 0.05; done   # down to the history
shot replaced-history 1
