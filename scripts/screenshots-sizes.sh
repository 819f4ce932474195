#!/usr/bin/env bash
# Screenshots of a small screen and of large text, from the real window under Xvfb against the
# project's simulator: Services and Orders (a code shown, a number still waiting) at 800×600 with
# the usual text size, then at 1100×720 with the text at 160 % (Settings, Text size).
#   scripts/screenshots-sizes.sh [OUT_DIR]      (default docs/screenshots)
# Needs: xvfb xdotool imagemagick dbus gnome-keyring, and a debug build (cargo build --examples).
# Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out"
app=target/debug/instaotp-desktop
sim=target/debug/examples/simulator
[ -x "$app" ] && [ -x "$sim" ] || cargo build --bin instaotp-desktop --example simulator

. scripts/lib.sh
work=$(mktemp -d)
apppid= simpid= xvfb= bus=
stop_all() { kill $apppid $simpid $bus $xvfb 2>/dev/null || true; sleep 1; }
trap stop_all EXIT

x() { xdotool "$@"; }
click() { x mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
wait_title() {
  for _ in $(seq 1 120); do
    x getwindowname "$wid" | grep -q "$1" && return 0
    sleep 0.5
  done
  echo "screenshots: the title never said '$1'" >&2
}

# run NAME SIZE TEXT_SCALE: a new X screen, simulator, keychain and data folder, signed in with the
# key on the welcome screen. The coordinates of the layout are in the variables set before.
run() {
  local name=$1 size=$2 scale=$3
  stop_all
  start_xvfb "$size"
  "$sim" --offers 300 --code-secs 30 --lock-secs 5 --key screenshot-key >"$work/$name.url" &
  simpid=$!
  sleep 1
  mkdir -p "$work/$name/data" "$work/$name/keyring"
  echo "{\"cancel_lock_secs\": 5, \"poll_interval_secs\": 3, \"text_scale\": $scale}" \
    >"$work/$name/data/settings.json"
  # The keychain: a private D-Bus session with gnome-keyring (it ends with its bus).
  export XDG_DATA_HOME=$work/$name/keyring XDG_RUNTIME_DIR=$work/$name
  chmod 700 "$work/$name"
  eval "$(dbus-launch --sh-syntax)"
  bus=$DBUS_SESSION_BUS_PID
  printf 'x' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  "$app" --data-dir "$work/$name/data" --api-url "$(head -1 "$work/$name.url")" \
    >"$work/$name/app.log" 2>&1 &
  apppid=$!
  sleep 4
  wid=$(x search --sync --name "InstaOTP Desktop" | head -1)
  x windowfocus --sync "$wid" || true
  click $key_field 0.5
  x type --delay 30 screenshot-key
  x key Return
  sleep 3
  click $note_x 1          # "Key checked and saved in the system keychain."
  x mousemove $away
  shot "services-$name" 1
  buy whatsapp
  buy telegram             # about 7 s later: each code comes 30 s after its purchase
  wait_title "1 code ready"
  sleep 1.5
  click $warning_x 1       # no notification service here: the app says so when a code comes
  x mousemove $away
  shot "orders-$name" 0
}

# The first row's Buy after a search, then Enter for "Buy for …"; buying opens Orders.
buy() {
  click $services 1
  click $search 0.5
  x key ctrl+a; x type --delay 20 "$1"; sleep 1
  click $buy_row 1.5
  x key Return; sleep 2    # Enter: "Buy for …"
  click $note_x 0.5        # "Done: Bought …"
}

# 800×600, text 100 %: the top bar in two rows, the Sort by list on the toolbar's second row,
# Provider and Code columns hidden.
key_field="330 128" note_x="235 547" warning_x="235 532" away="795 400"
services="134 12" search="160 67" buy_row="690 148"
run 800 800x600 1.0

# 1100×720, text 160 %: the same rows, larger.
key_field="430 205" note_x="196 635" warning_x="196 610" away="1095 400"
services="214 19" search="250 106" buy_row="925 272"
run 160 1100x720 1.6
