#!/usr/bin/env bash
# Screenshots of the demo in the real window under Xvfb: the Services table with names in several
# scripts (needs fonts-noto-core fonts-noto-cjk), a purchase made with the keyboard (Buy, then
# Enter in the dialog) and its one-line note, and the Activity list after the note has faded; then
# the Delivery column, its sentence in the confirmation and the history per service.
#   scripts/screenshots-demo.sh [OUT_DIR]      (default docs/screenshots)
# Needs: xvfb xdotool imagemagick, and a debug build (cargo build).
set -u
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out"
app=target/debug/instaotp-desktop
[ -x "$app" ] || cargo build --bin instaotp-desktop
. scripts/lib.sh
start_xvfb 1100x720
data=$(mktemp -d); rt=$(mktemp -d); chmod 700 "$rt"
XDG_RUNTIME_DIR=$rt "$app" --demo --data-dir "$data" >"$data/demo.log" 2>&1 &
apppid=$!
trap 'kill $apppid $xvfb 2>/dev/null || true' EXIT
sleep 5
wid=$(xdotool search --sync --name "InstaOTP Desktop" | head -1)
xdotool windowfocus --sync "$wid" || true
shot scripts 1
xdotool mousemove 990 154 click 1; sleep 1   # Buy on the first row (below the demo banner)
xdotool key Return; sleep 2                   # Enter buys
shot quiet-message 0
sleep 6                                       # the note fades after 5 s
xdotool mousemove 469 41 click 1              # Activity (after the Orders tab)
shot activity 1

# The Delivery column (codes per server, best value, "was" on a favourite), the confirmation's
# sentence about the server's record, and the history's figures per service: the demo again, on a
# data folder whose orders seed_delivery wrote (see its header).
kill $apppid 2>/dev/null; sleep 1
seed=target/debug/examples/seed_delivery
[ -x "$seed" ] || cargo build --example seed_delivery
data2=$(mktemp -d)
"$seed" "$data2" >/dev/null
XDG_RUNTIME_DIR=$rt "$app" --demo --data-dir "$data2" >"$data2/demo.log" 2>&1 &
apppid=$!
sleep 5
wid=$(xdotool search --sync --name "InstaOTP Desktop" | head -1)
xdotool windowfocus --sync "$wid" || true
xdotool mousemove 1095 400
shot delivery 1
xdotool mousemove 990 206 click 1; sleep 1.5   # Buy on WhatsApp, India, server 1 (the third row)
xdotool mousemove 1095 400
shot delivery-confirm 0
xdotool key Escape; sleep 1
xdotool mousemove 260 41 click 1              # Orders: the history with "Delivery by service"
xdotool mousemove 1095 400
shot delivery-history 1
