#!/usr/bin/env bash
# Starts the installed app (/usr/bin/instaotp-desktop) under Xvfb, checks that it paints a first
# frame, then closes it with Ctrl+Q and checks that it exits cleanly. Used by .ci/run after the .deb
# is installed.
set -euo pipefail
app=${1:-/usr/bin/instaotp-desktop}
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
start_xvfb 1100x720
trap 'kill $xvfb 2>/dev/null || true' EXIT
export XDG_RUNTIME_DIR=$work
start=$(date +%s.%N)
"$app" --demo --data-dir "$work/data" >"$work/app.log" 2>&1 &
pid=$!
wid=$(timeout 30 xdotool search --sync --name "InstaOTP Desktop" | head -1) || { echo "no window"; cat "$work/app.log"; exit 1; }
up=$(echo "$(date +%s.%N) - $start" | bc)
sleep 3
import -window root "$work/frame.png"
mean=$(convert "$work/frame.png" -colorspace Gray -format "%[fx:mean]" info:)
colours=$(convert "$work/frame.png" -format "%k" info:)
echo "window $wid up after $up s; first frame: mean $mean, $colours colours"
[ "$colours" -gt 16 ] || { echo "the window shows nothing"; exit 1; }
xdotool windowfocus --sync "$wid" key ctrl+q
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then echo "the app did not close on Ctrl+Q"; kill -9 "$pid"; exit 1; fi
wait "$pid" && echo "closed cleanly (exit 0)" || { echo "exit code $?"; cat "$work/app.log"; exit 1; }
