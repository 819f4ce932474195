#!/usr/bin/env bash
# Screenshots of a second provider, from the real window under Xvfb with a real keychain
# (gnome-keyring on a private D-Bus) and two simulators (InstaOTP, and `--second-provider`):
#   providers-add.png        Settings → Providers → Add, filled in
#   providers-settings.png   the provider added: signed in, with its balance
#   services-providers.png   both providers' WhatsApp offers in one table, sorted by price
#   provider-confirm.png     buying from the second provider: the dialog names it
#   orders-providers.png     Orders with the second provider's number under its name
#   history-providers.png    its history, chosen in the history's Provider list
# InstaOTP's codes are held back for an hour; the second provider's come after 20 s.
#   scripts/screenshots-providers.sh [OUT_DIR] [APP]   (default docs/screenshots, the debug build)
# Needs: xvfb xdotool imagemagick dbus gnome-keyring, and `cargo build --example simulator`.
set -u
cd "$(dirname "$0")/.."
if [ -z "${SHOTS_IN_KEYRING:-}" ]; then
  keyring=$(mktemp -d)
  exec env SHOTS_IN_KEYRING=1 KEYRING_HOME="$keyring" dbus-run-session -- bash -c '
    printf "%s" throwaway | XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    export XDG_DATA_HOME="$KEYRING_HOME"
    exec "$0" "$@"' "$0" "$@"
fi
out=${1:-docs/screenshots}
app=${2:-target/debug/instaotp-desktop}
sim=$(dirname "$app")/examples/simulator
mkdir -p "$out"
. scripts/lib.sh
start_xvfb 1100x720
data=$(mktemp -d); rt=$(mktemp -d); chmod 700 "$rt"
"$sim" --key first-key --code-secs 3600 >"$data/first.url" &
first=$!
"$sim" --key second-key --code-secs 20 --second-provider >"$data/second.url" &
second=$!
apppid=
trap 'kill $apppid $first $second $xvfb 2>/dev/null || true' EXIT
sleep 1
XDG_RUNTIME_DIR=$rt "$app" --api-url "$(head -1 "$data/first.url")" --data-dir "$data" \
  --keychain-service instaotp-screenshots >"$data/app.log" 2>&1 &
apppid=$!
sleep 6
wid=$(xdotool search --sync --name "InstaOTP Desktop" | tail -1)
xdotool windowfocus --sync "$wid" || true
click() { rest_click "$@"; }
away() { xdotool mousemove 900 700; }

click 480 128; xdotool type first-key; xdotool key Return; sleep 4   # the welcome screen's key
click 385 12            # Settings
click 63 143            # Providers (folded)
click 144 225           # Add a provider of the same protocol…
click 260 224; xdotool type 'Backup account'
click 260 250; xdotool type "$(head -1 "$data/second.url")"
click 260 276; xdotool type second-key
away; shot providers-add 1
click 98 300 3          # Check the key and add
away; shot providers-settings 1
click 134 12            # Services
click 160 44; xdotool type whatsapp
click 742 97            # sort by Price
away; shot services-providers 1
click 990 151 2         # Buy: Backup account's on server 3 (every number there gets a code)
away; shot provider-confirm 1
click 360 397 3         # Buy for …
click 260 12 2          # Orders
away; shot orders-providers 1
sleep 18
click 44 230 3          # Finish: it goes to Backup account's history
click 112 131 1         # the history's Provider list
click 125 181 1         # Backup account
away; shot history-providers 1
