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
"$sim" --offers 300 --code-secs 30 --lock-secs 5 --key screenshot-key >"$work/sim.url" &
simpid=$!
trap 'kill $apppid $simpid $xvfb 2>/dev/null || true' EXIT
sleep 1
url=$(head -1 "$work/sim.url")
mkdir -p "$work/data"
# Short cancel lock, to show a cancelled order.
echo '{"cancel_lock_secs": 5, "poll_interval_secs": 3}' >"$work/data/settings.json"

x() { xdotool "$@"; }
click() { x mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
# Notes float in the bottom right corner; their × is at the note's left end.
note_off() { click 535 667 "${1:-0.5}"; }      # a one-line note
warning_off() { click 535 652 "${1:-0.5}"; }   # the two-line "Notifications cannot be shown"
# wait_title TEXT: until the window's title (which counts the codes ready) says TEXT.
wait_title() {
  for _ in $(seq 1 120); do
    x getwindowname "$wid" | grep -q "$1" && return 0
    sleep 0.5
  done
  echo "screenshots: the title never said '$1'" >&2
}

# The keychain: a private D-Bus session with gnome-keyring, as a desktop has it.
export XDG_DATA_HOME=$work/keyring XDG_RUNTIME_DIR=$work
mkdir -p "$XDG_DATA_HOME"
eval "$(dbus-launch --sh-syntax)"
trap 'kill $apppid $simpid $DBUS_SESSION_BUS_PID $xvfb 2>/dev/null || true' EXIT   # the keyring ends with its bus
printf 'x' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true

"$app" --data-dir "$work/data" --api-url "$url" >"$work/app.log" 2>&1 &
apppid=$!
sleep 4
wid=$(x search --sync --name "InstaOTP Desktop" | head -1)
x windowfocus --sync "$wid" || true
shot welcome 0

click 480 128 0.5      # the API key field
x type --delay 30 screenshot-key
x key Return
sleep 3
note_off 1             # "Key checked and saved in the system keychain."
x mousemove 1095 400   # the pointer out of the table
shot services 1

# Three purchases: the first row each time (search narrows the table to it). Buying opens Orders.
buy() {
  click 170 44           # search field
  x key ctrl+a; x type --delay 20 "$1"; sleep 1
  click 990 125 1.5      # Buy on the first row
  [ -n "${2:-}" ] && { x mousemove 700 600; shot "$2" 0.5; }
  x key Return; sleep 2   # Enter: "Buy for …" (the dialog's height changes with its options)
  note_off               # "Done: Bought …"
  click 134 12 1         # back to Services
}
buy whatsapp buy-confirm
buy telegram           # about 7 s later: each code comes 30 s after its purchase

buy amazon
click 260 12 1         # Orders: no code yet, the newest (Amazon) on top
sleep 2                # its cancel lock (5 s) is over
click 47 157 1         # Cancel
click 380 394 2        # "Cancel order" in the dialog
note_off               # "Done: … cancelled."
wait_title "1 code ready"   # WhatsApp's code: its card goes on top
sleep 1.5
warning_off 1          # no notification service here: the app says so when a code comes
shot orders 0
click 290 138 0        # "Copy code" on the top card: the button says "Copied ✓" for 2 s
shot orders-copied 0.3
click 154 44 1         # One line each
note_off               # "Copied …"
shot orders-one-line 0.3

# The history, under the one-line view: both codes there, so the page stays put.
wait_title "2 codes ready"
sleep 1.5
warning_off 1
click 500 183 1        # History: Period
click 508 302 1        # Between dates
x key Escape; x mousemove 900 600
shot history 0.5
click 665 183 1        # From: the calendar
shot history-dates 0
x key Escape; sleep 1
click 614 397 2        # Export history as CSV: no desktop portal here, so the app's own dialog
shot export 0
click 409 400 1        # Don't save
click 188 397 1        # Delete history before: the calendar
for _ in 1 2 3 4; do click 397 446 0.3; done   # ">>" four times: a month on from today
click 425 602 1        # Save
click 311 397 1        # Delete old history…: the confirmation says how many orders go
shot delete-history 0
click 484 400 1        # Keep them
click 154 44 1         # the cards again

click 385 12 1         # Settings (the Orders tab keeps room for its longest name)
x mousemove 900 600
shot settings 1
click 80 567 1         # Advanced (below "New versions")
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
buy whatsapp
sleep 3
click 260 12 2  # Orders
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
click 260 12 2  # Orders
shot other-key 1  # the cards at the top: another key's purchase and order, greyed
shot left-undone 0  # the same cards: a purchase of 5 left half done, a number InstaOTP did not send
x mousemove 500 500
for _ in 1 2 3 4 5 6 7 8 9 10; do x click 5; sleep 0.1; done  # down to the history's rows
shot end-states 1
click 134 12 1  # Services
click 170 44
x key ctrl+a; x type --delay 20 "odd price"; sleep 1
shot unusual-price 1
