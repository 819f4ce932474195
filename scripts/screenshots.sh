#!/usr/bin/env bash
# Takes the README's screenshots from the real window under Xvfb, against the project's simulator.
#   scripts/screenshots.sh [OUT_DIR]      (default docs/screenshots)
# Needs: xvfb xdotool imagemagick dbus gnome-keyring, and a debug build (cargo build --examples).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out"
app=target/debug/instaotp-desktop
sim=target/debug/examples/simulator
[ -x "$app" ] && [ -x "$sim" ] && [ -x target/debug/examples/seed_orders ] ||
  cargo build --bin instaotp-desktop --example simulator --example seed_orders

work=$(mktemp -d)
. scripts/lib.sh
start_xvfb 1100x720
"$sim" --offers 300 --code-secs 24 --lock-secs 5 --key screenshot-key >"$work/sim.url" &
simpid=$!
trap 'kill $apppid $simpid $xvfb 2>/dev/null || true' EXIT
sleep 1
url=$(head -1 "$work/sim.url")
mkdir -p "$work/data"
# Short cancel lock, to show a cancelled order.
echo '{"cancel_lock_secs": 5, "poll_interval_secs": 3}' >"$work/data/settings.json"

x() { xdotool "$@"; }
shot() { sleep "${2:-1}"; import -window root "$out/$1.png"; echo "wrote $out/$1.png"; }
click() { x mousemove "$1" "$2" click 1; sleep "${3:-1}"; }

# The keychain: a private D-Bus session with gnome-keyring, as a desktop has it.
export XDG_DATA_HOME=$work/keyring XDG_RUNTIME_DIR=$work
mkdir -p "$XDG_DATA_HOME"
eval "$(dbus-launch --sh-syntax)"
printf 'x' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true

"$app" --data-dir "$work/data" --api-url "$url" >"$work/app.log" 2>&1 &
apppid=$!
sleep 4
wid=$(x search --sync --name "InstaOTP Desktop" | head -1)
x windowfocus --sync "$wid" || true
shot welcome 0

click 480 128
x type --delay 30 screenshot-key
x key Return
sleep 3
click 22 40 1   # dismiss the "key saved" note
shot services 1

# Three purchases: the first row each time (search narrows the table to it).
buy() {
  click 170 44           # search field
  x key ctrl+a; x type --delay 20 "$1"; sleep 1
  click 1020 125 1       # Buy on the first row
  click 384 486 2        # "Buy for …" in the dialog
  click 22 40 0.5        # dismiss the purchase note
  click 134 12 1         # back to Services
}
click 134 12 1
buy whatsapp
buy telegram
buy amazon
click 200 12 2         # Orders: the newest (Amazon) is on top, its cancel lock (5 s) is over
click 47 157 1         # Cancel
click 384 394 2        # "Cancel order" in the dialog
sleep 5                # the first order's code arrives (24 s after purchase)
shot orders 0

click 500 450 1        # History: Period
click 508 569 1        # Between dates
click 665 450 1        # From: the calendar
shot history-dates 0
x key Escape; sleep 1
click 441 546 2        # Export history as CSV: no desktop portal here, so the app's own dialog
shot export 0
click 419 400 1        # Don't save
click 311 556 1        # Delete old history…: the confirmation says how many orders go
shot delete-history 0
x key Escape; sleep 1


click 385 12 1         # Settings (the Orders tab keeps room for its longest name)
shot settings 1
click 80 493 1         # Advanced: provider
shot settings-advanced 0

# A purchase whose reply is lost: the "not confirmed" card at the top of Orders.
kill $apppid $simpid 2>/dev/null || true
sleep 1
"$sim" --offers 300 --code-secs 24 --lock-secs 5 --key screenshot-key --lose-first-purchase >"$work/sim2.url" &
simpid=$!
sleep 1
url=$(head -1 "$work/sim2.url")
rm -rf "$work/data2"; mkdir -p "$work/data2"
echo '{"cancel_lock_secs": 5, "poll_interval_secs": 3}' >"$work/data2/settings.json"
"$app" --data-dir "$work/data2" --api-url "$url" >"$work/app2.log" 2>&1 &
apppid=$!
sleep 4
wid=$(x search --sync --name "InstaOTP Desktop" | head -1)
x windowfocus --sync "$wid" || true
sleep 2
click 22 40 1   # dismiss the "key saved" note, if any
click 134 12 1
buy whatsapp
sleep 3
click 200 12 2  # Orders
shot not-confirmed 1

# Every end state in the history, the not-confirmed card, an order of another key (greyed) and an
# offer whose price is unusual.
kill $apppid $simpid 2>/dev/null || true
sleep 1
"$sim" --offers 300 --code-secs 24 --lock-secs 5 --key screenshot-key --unusual-price >"$work/sim3.url" &
simpid=$!
sleep 1
url=$(head -1 "$work/sim3.url")
rm -rf "$work/data3"; mkdir -p "$work/data3"
echo '{"cancel_lock_secs": 5, "poll_interval_secs": 3}' >"$work/data3/settings.json"
target/debug/examples/seed_orders "$work/data3" screenshot-key "$url"
"$app" --data-dir "$work/data3" --api-url "$url" >"$work/app3.log" 2>&1 &
apppid=$!
sleep 4
wid=$(x search --sync --name "InstaOTP Desktop" | head -1)
x windowfocus --sync "$wid" || true
sleep 2
click 200 12 2  # Orders
shot other-key 1  # the cards at the top: another key's purchase and order, greyed
x mousemove 500 500
for _ in 1 2 3 4 5 6 7 8 9 10; do x click 5; sleep 0.1; done  # down to the history's rows
shot end-states 1
click 134 12 1  # Services
click 170 44
x key ctrl+a; x type --delay 20 "odd price"; sleep 1
shot unusual-price 1
