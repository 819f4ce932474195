#!/usr/bin/env bash
# The Windows installer under Wine, as CI runs it (.ci/run): a silent per-user install, the
# installed app started against the simulator as a Windows user whose name has a space and
# Cyrillic letters (so the program and its default data folder, in the local app-data folder, are
# under such a path), its window painted, the key typed in and offers shown, a second start handed
# over to the first, Ctrl+Q closing it with exit code 0, then a silent uninstall that removes the
# program and keeps the data folder.
#
#   scripts/wine-check.sh SETUP.exe SIMULATOR [SCREENSHOT.png]
#
# SIMULATOR: the Linux build of examples/simulator. Needs Debian's wine64, xvfb, xdotool,
# imagemagick and gcc-mingw-w64-x86-64. Wine 8.0 lacks bcryptprimitives.dll, which every Rust .exe
# imports; a stand-in built here from scripts/wine/ is put in the throwaway Wine prefix only.
set -euo pipefail
setup=$(realpath "$1")
simulator=$(realpath "$2")
shot=${3:-}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
# Wine names the Windows user (and C:\users\<name>) after $USER.
export USER="Анна Kumar"
. "$here/lib.sh"
start_xvfb 1100x720
sim=
cleanup() {
  "${wineserver:-wineserver}" -k 2>/dev/null || true
  [ -n "$sim" ] && kill "$sim" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
t0=$(date +%s)

new_wine_prefix "$work"

# --- install, silently, as the user (no administrator rights) ---
"$wine" "$setup" /S >"$work/install.log" 2>&1 || fail "the installer exited with $?"
"$wineserver" -w
user=$USER
home="$WINEPREFIX/drive_c/users/$user"
install_dir="$home/AppData/Local/Programs/InstaOTP Desktop"
exe_win="C:\\users\\$user\\AppData\\Local\\Programs\\InstaOTP Desktop\\instaotp-desktop.exe"
[ -f "$install_dir/instaotp-desktop.exe" ] || fail "no instaotp-desktop.exe in $install_dir"
[ -f "$install_dir/uninstall.exe" ] || fail "no uninstaller"
[ -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/InstaOTP Desktop.lnk" ] \
  || fail "no Start-menu entry"
grep -q 'Uninstall\\\\InstaOTP Desktop' "$WINEPREFIX/user.reg" || fail "no Apps & features entry"
echo "installed in $(( $(date +%s) - t0 )) s: $(ls "$install_dir" | tr '\n' ' ')"

# --- the simulator, and the installed app against it ---
key=wine-check-key
"$simulator" --key "$key" >"$work/sim.log" 2>&1 &
sim=$!
for _ in $(seq 1 50); do [ -s "$work/sim.log" ] && break; sleep 0.1; done
url=$(head -1 "$work/sim.log")
case "$url" in http://127.0.0.1:*) ;; *) fail "the simulator did not start" ;; esac
# No --data-dir: the app's own choice, the local (not roaming) app-data folder.
data="$home/AppData/Local/InstaOTP/instaotp-desktop/data"
"$wine" "$exe_win" --api-url "$url" >"$work/app.log" 2>&1 &
pid=$!
wid=$(timeout 90 xdotool search --sync --name '^InstaOTP Desktop$' | head -1) || fail "no window"
echo "window up after $(( $(date +%s) - t0 )) s"
sleep 4
import -window root "$work/first.png"
colours=$(convert "$work/first.png" -format "%k" info:)
echo "first frame: $colours colours"
[ "$colours" -gt 16 ] || fail "the window shows nothing"

# A click in the welcome screen's key field (centred near the top of the window), the key typed,
# Enter pressed.
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove $((X + WIDTH / 2 - 70)) $((Y + 130)) click 1
sleep 1
xdotool type --delay 40 "$key"
xdotool key Return
log() { cat "$data"/logs/*.log 2>/dev/null || true; }
for _ in $(seq 1 60); do log | grep -q "first frame with offers" && break; sleep 0.5; done
log | grep -q "first frame with offers" || fail "no offers after the key was typed"
echo "signed in, offers shown"
sleep 2
[ -n "$shot" ] && import -window root "$shot"

# What Wine lacks is said, not fatal: Windows notifications (toasts) are not there.
log | grep -q "notifications unavailable" || fail "the missing notification service was not noticed"
echo "missing notifications noticed: $(log | grep -m1 -o 'notifications unavailable.*' | cut -c1-160)"

# A second start hands over to the first and ends.
s2=$(date +%s.%N)
timeout 30 "$wine" "$exe_win" --api-url "$url" >"$work/second.log" 2>&1 \
  || fail "the second start exited with $?"
echo "second start handed over in $(echo "$(date +%s.%N) - $s2" | bc | cut -c1-4) s"
kill -0 "$pid" 2>/dev/null || fail "the first app ended"

# Ctrl+Q closes it cleanly.
xdotool windowactivate --sync "$wid" 2>/dev/null || true
xdotool key ctrl+q
for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && fail "the app did not close on Ctrl+Q"
wait "$pid" || fail "the app exited with $?"
echo "closed cleanly (exit 0)"
"$wineserver" -w

# --- an upgrade in place: the next version's installer over this one ---
# Made here from the same .exe and the checked-in script, with the patch number raised (packed
# quickly: it is thrown away).
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/../Cargo.toml" | head -1)
next=$(awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }' <<<"$version")
makensis -V1 -DQUICK_COMPRESSION -DVERSION="$next" -DEXE="$install_dir/instaotp-desktop.exe" \
  -DOUTFILE="$work/upgrade-setup.exe" "$here/../packaging/windows/installer.nsi"
"$wine" "$work/upgrade-setup.exe" /S >"$work/upgrade.log" 2>&1 || fail "the upgrade exited with $?"
"$wineserver" -w
entry=$(grep -A12 'Uninstall\\\\InstaOTP Desktop' "$WINEPREFIX/user.reg") || fail "no Apps & features entry after the upgrade"
grep -q "\"DisplayVersion\"=\"$next\"" <<<"$entry" || fail "Apps & features does not show $next after the upgrade"
[ "$(ls "$home/AppData/Local/Programs" | grep -c InstaOTP)" -eq 1 ] || fail "a second install folder"
# The same orders and the saved key: the app starts signed in, with no key typed.
offers_before=$(log | grep -c "first frame with offers")
"$wine" "$exe_win" --api-url "$url" >"$work/after-upgrade.log" 2>&1 &
pid=$!
for _ in $(seq 1 90); do [ "$(log | grep -c "first frame with offers")" -gt "$offers_before" ] && break; sleep 0.5; done
[ "$(log | grep -c "first frame with offers")" -gt "$offers_before" ] || fail "not signed in after the upgrade"
wid=$(xdotool search --name '^InstaOTP Desktop$' | head -1) || fail "no window after the upgrade"
xdotool key --window "$wid" ctrl+q 2>/dev/null || xdotool key ctrl+q
for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && fail "the app did not close after the upgrade"
wait "$pid" || fail "the app exited with $? after the upgrade"
echo "upgraded in place to $next: signed in with the saved key, orders kept"
"$wineserver" -w

# --- no graphics driver at all: the native message box, then exit code 1 ---
# An X server without GLX (no OpenGL for Wine) and wgpu sent to DirectX 12 (not in Wine): neither
# renderer opens, as on a remote desktop with no driver.
xvfb_gl=$xvfb
nogl=:$(( 500 + RANDOM % 400 ))
Xvfb "$nogl" -screen 0 1100x720x24 -nolisten tcp -extension GLX >"$work/xvfb-nogl.log" 2>&1 &
xvfb=$!
export DISPLAY=$nogl
sleep 1
kill -0 "$xvfb" 2>/dev/null || fail "the X server without OpenGL did not start on $nogl"
WGPU_BACKEND=dx12 "$wine" "$exe_win" --api-url "$url" >"$work/fatal.log" 2>&1 &
pid=$!
box=$(timeout 60 xdotool search --sync --name '^InstaOTP Desktop$' | head -1) || fail "no message box"
sleep 2
log | grep -q "no renderer could open the window" || fail "the failed renderers were not logged"
grep -q "could not start" "$work/fatal.log" || fail "nothing said on the console"
[ -n "$shot" ] && import -window root "${shot%.png}-fatal.png"
xdotool key Return
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && fail "the app did not end after its message box"
code=0; wait "$pid" || code=$?
[ "$code" -eq 1 ] || fail "exit code $code after the message box, not 1"
echo "no graphics driver: message box $box shown, exit code 1"
kill "$xvfb" 2>/dev/null || true
xvfb=$xvfb_gl
"$wineserver" -w

# --- uninstall: the program goes, the data folder stays ---
[ -f "$data/orders.sqlite" ] || fail "no orders database in the data folder"
"$wine" "$install_dir/uninstall.exe" /S >"$work/uninstall.log" 2>&1 || fail "the uninstaller exited with $?"
"$wineserver" -w
for _ in $(seq 1 50); do [ -e "$install_dir" ] || break; sleep 0.2; done
[ -e "$install_dir" ] && fail "files left in $install_dir: $(ls "$install_dir")"
[ -e "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/InstaOTP Desktop.lnk" ] \
  && fail "the Start-menu entry is still there"
grep -q 'Uninstall\\\\InstaOTP Desktop' "$WINEPREFIX/user.reg" && fail "the Apps & features entry is still there"
[ -f "$data/orders.sqlite" ] || fail "the uninstaller removed the data folder"
echo "uninstalled; data folder kept. Wine check passed in $(( $(date +%s) - t0 )) s"
