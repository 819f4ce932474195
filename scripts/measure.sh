#!/usr/bin/env bash
# Measures the release binary under Xvfb: size, launch to a painted window with offers, memory (PSS
# and peak RSS) while 3,000 offers are shown, and idle CPU while nothing happens.
#   scripts/measure.sh [BINARY]         (default target/release/instaotp-desktop; build it first)
# Needs: xvfb xdotool imagemagick, /usr/bin/time (Debian package time).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/instaotp-desktop}
[ -x "$bin" ] || { echo "build it first: cargo build --release"; exit 2; }
work=$(mktemp -d)
. "$(dirname "$0")/lib.sh"
start_xvfb 1280x800
trap 'kill $xvfb 2>/dev/null || true' EXIT
export XDG_RUNTIME_DIR=$work INSTAOTP_DEMO_OFFERS=3000 INSTAOTP_LOG=instaotp_desktop=info

echo "binary: $(stat -c %s "$bin") bytes ($(du -h "$bin" | cut -f1))"

/usr/bin/time -v -o "$work/time.txt" "$bin" --demo --data-dir "$work/data" &
timepid=$!
# The app logs the moment it first paints the offers; wait for it.
for _ in $(seq 1 100); do
  grep -q "first frame with offers" "$work"/data/logs/* 2>/dev/null && break
  sleep 0.1
done
grep -h "first frame" "$work"/data/logs/* | sed 's/^.*INFO //' || echo "no first-frame line in the log"
pid=$(pgrep -n -f "$bin --demo --data-dir $work/data")
sleep 3
pss_kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
rss_kb=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
echo "memory with 3,000 offers shown: PSS $((pss_kb / 1024)) MiB, RSS $((rss_kb / 1024)) MiB"

# Idle: signed in (demo), no orders, nothing moving. CPU time over 10 s from /proc.
ticks=$(getconf CLK_TCK)
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
sleep 10
read -r u2 s2 < <(awk '{print $14, $15}' "/proc/$pid/stat")
echo "idle CPU over 10 s: $(echo "scale=3; 100 * (($u2 + $s2) - ($u1 + $s1)) / $ticks / 10" | bc) % of a core"

xdotool search --name "InstaOTP Desktop" windowfocus --sync key ctrl+q >/dev/null 2>&1 || kill "$pid"
wait "$timepid" || true
grep -E "Maximum resident set size|Elapsed" "$work/time.txt" | sed 's/^\s*//'
