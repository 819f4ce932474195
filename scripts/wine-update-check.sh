#!/usr/bin/env bash
# The app's own update under Wine, as CI runs it (.ci/run): version N installed silently, signed in
# with a key typed once and a number bought; a release feed for N+1, signed with the test key,
# served on 127.0.0.1; the app finds it, downloads and checks the installer, and "Restart to
# update" (asked first, as a number waits for its code) runs it; N+1 starts by itself, says it was
# updated, is signed in with the saved key and resumes the same order.
#
#   scripts/wine-update-check.sh SETUP_N.exe SETUP_N+1.exe SIMULATOR SECRET_KEY FEED_URL [SHOT.png]
#
# Both installers must be built with INSTAOTP_UPDATE_FEED=FEED_URL (http://127.0.0.1:PORT/feed.json)
# and INSTAOTP_UPDATE_KEY set to the public key of SECRET_KEY (minisign -G -W). SIMULATOR: the
# Linux build of examples/simulator. Needs what scripts/wine-check.sh needs, and minisign, jq,
# python3 (the feed's server) and sqlite3.
set -euo pipefail
setup_n=$(realpath "$1")
setup_next=$(realpath "$2")
simulator=$(realpath "$3")
secret=$(realpath "$4")
feed_url=$5
shot=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
case "$feed_url" in
  http://127.0.0.1:*/feed.json) ;;
  *) echo "FEED_URL must be http://127.0.0.1:PORT/feed.json" >&2; exit 2 ;;
esac
base=${feed_url%/feed.json}
port=${base##*:}

work=$(mktemp -d)
echo "work folder: $work"
export USER="Ravi Test"
. "$here/lib.sh"
start_xvfb 1280x960
sim= feed=
cleanup() {
  "${wineserver:-wineserver}" -k 2>/dev/null || true
  for p in $sim $feed; do kill "$p" 2>/dev/null || true; done
  kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
t0=$(date +%s)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/../Cargo.toml" | head -1)
next=$(awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }' <<<"$version")

new_wine_prefix "$work"
"$wine" "$setup_n" /S >"$work/install.log" 2>&1 || fail "the installer of $version exited with $?"
"$wineserver" -w
home="$WINEPREFIX/drive_c/users/$USER"
install_dir="$home/AppData/Local/Programs/InstaOTP Desktop"
exe_win="C:\\users\\$USER\\AppData\\Local\\Programs\\InstaOTP Desktop\\instaotp-desktop.exe"
data="$home/AppData/Local/InstaOTP/instaotp-desktop/data"
[ -f "$install_dir/instaotp-desktop.exe" ] || fail "$version not installed"
echo "$version installed in $(( $(date +%s) - t0 )) s"

# --- the feed of N+1, signed with the test key, and its server ---
mkdir -p "$work/feed"
cp "$setup_next" "$work/feed/InstaOTP-Desktop-$next-x64-setup.exe"
"$here/release-feed.sh" "$next" "Codes show sooner." "$base/download" "$base" "$secret" \
  "$work/feed" "$work/feed/InstaOTP-Desktop-$next-x64-setup.exe" >"$work/release-feed.log" 2>&1 \
  || fail "the feed was not written"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/feed" >"$work/feed-server.log" 2>&1 &
feed=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "$feed_url" && break; sleep 0.1; done
curl -sf -o /dev/null "$feed_url" || fail "the feed is not served at $feed_url"

# --- the simulator (codes never come: the number keeps waiting), and version N against it ---
key=wine-update-key
"$simulator" --key "$key" --code-secs 3600 >"$work/sim.log" 2>&1 &
sim=$!
for _ in $(seq 1 50); do [ -s "$work/sim.log" ] && break; sleep 0.1; done
url=$(head -1 "$work/sim.log")
case "$url" in http://127.0.0.1:*) ;; *) fail "the simulator did not start" ;; esac
# The address through the environment, which the installer and the version it starts inherit.
export INSTAOTP_API_URL=$url
"$wine" "$exe_win" >"$work/app.log" 2>&1 &
pid=$!
wid=$(timeout 90 xdotool search --sync --name '^InstaOTP Desktop$' | head -1) || fail "no window"
sleep 4
log() { cat "$data"/logs/*.log 2>/dev/null || true; }
log | grep -qF "starting version=\"$version\"" || fail "version $version did not start"
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove $((X + WIDTH / 2 - 70)) $((Y + 130)) click 1
sleep 1
xdotool type --delay 40 "$key"
xdotool key Return
for _ in $(seq 1 60); do log | grep -q "first frame with offers" && break; sleep 0.5; done
log | grep -q "first frame with offers" || fail "no offers after the key was typed"
echo "$version signed in"

# One number bought with the keyboard: Ctrl+F, the service, Enter opens its confirmation, Enter buys.
xdotool key ctrl+f
sleep 0.5
xdotool type --delay 40 "Discord"
sleep 1
xdotool key Return
sleep 2
xdotool key Return
for _ in $(seq 1 40); do log | grep -q "buying ended" && break; sleep 0.5; done
log | grep -qE "buying ended bought=1( |$)" || fail "the number was not bought"
orders_before=$(sqlite3 "file:$data/orders.sqlite?mode=ro" "select order_id, active from orders order by order_id") \
  || fail "the orders could not be read"
[ -n "$orders_before" ] || fail "no order in the database"
echo "bought one number: $orders_before"

# --- the update: found at start, downloaded and checked in the background ---
for _ in $(seq 1 120); do log | grep -q "new version downloaded and checked" && break; sleep 0.5; done
log | grep -qF "new version downloaded and checked version=$next" || fail "$next was not downloaded"
echo "$next downloaded and checked after $(( $(date +%s) - t0 )) s"
sleep 1
import -window root "$work/ready.png"
# "Restart to update" is the small button on the status line at the bottom of the window, after
# "Connected to InstaOTP | Version N+1 is ready to install" (egui's own font: the same place on
# every run). Pressed, the app asks first (a number waits for its code) and Enter agrees.
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove $((X + 405)) $((Y + HEIGHT - 12)) click 1
sleep 2
import -window root "$work/asked.png"
log | grep -q "installer started" && fail "restarted without asking while a number waits"
xdotool key Return
for _ in $(seq 1 60); do log | grep -q "installer started" && break; sleep 0.5; done
log | grep -q "installer started" || fail "the installer was not started"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && fail "$version did not close for the update"
wait "$pid" || fail "$version exited with $? for the update"
echo "$version closed for the update"

# --- N+1, started by the installer ---
for _ in $(seq 1 120); do log | grep -qF "starting version=\"$next\"" && break; sleep 0.5; done
log | grep -qF "starting version=\"$next\"" || fail "$next did not start after the update"
for _ in $(seq 1 60); do log | grep -qF "started after an update version=$next" && break; sleep 0.5; done
log | grep -qF "started after an update version=$next" || fail "$next did not say it was updated"
# What N+1 logged (read whole, then searched: no pipe cut short by grep -q).
since_update() { log | sed -n "/starting version=\"$next\"/,\$p"; }
for _ in $(seq 1 60); do
  grep -qF "the key was accepted" <<<"$(since_update)" && break
  sleep 0.5
done
after=$(since_update)
# No key was typed since: InstaOTP (the simulator) accepted the saved one.
grep -qF "the key was accepted" <<<"$after" || fail "$next is not signed in with the saved key"
grep -qF "resuming orders active=1" <<<"$after" || fail "$next did not resume the order"
sleep 2
[ -n "$shot" ] && import -window root "$shot"
# Closed (Ctrl+Q asks first, as the number still waits; Enter agrees), so that Wine writes its
# registry to disk.
wid=$(xdotool search --name '^InstaOTP Desktop$' | head -1) || fail "no window of $next"
xdotool windowactivate --sync "$wid" 2>/dev/null || true
xdotool key ctrl+q
sleep 2
xdotool key Return
timeout 60 "$wineserver" -w || fail "$next did not close"
entry=$(grep -A12 'Uninstall\\\\InstaOTP Desktop' "$WINEPREFIX/user.reg") || fail "no Apps & features entry"
grep -q "\"DisplayVersion\"=\"$next\"" <<<"$entry" || fail "Apps & features does not show $next"
orders_after=$(sqlite3 "file:$data/orders.sqlite?mode=ro" "select order_id, active from orders order by order_id")
[ "$orders_after" = "$orders_before" ] || fail "the orders changed: $orders_before -> $orders_after"
echo "updated itself to $next in $(( $(date +%s) - t0 )) s: said so, signed in with the saved key, the order resumed"
