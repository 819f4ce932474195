#!/usr/bin/env bash
# Writes the release feed for the built installers and signs it.
#   scripts/release-feed.sh VERSION NOTES PAGE_URL BASE_URL SECRET_KEY OUT_DIR INSTALLER...
# Each INSTALLER is named by its platform from its file name (*.deb: linux-deb, *setup.exe:
# windows-x64); BASE_URL is where the installers will be downloaded from. The feed goes to
# OUT_DIR/feed.json and its signature to OUT_DIR/feed.json.minisig, made with minisign's secret
# key SECRET_KEY (minisign -G makes a key pair; the public key is built into the app with
# INSTAOTP_UPDATE_KEY, and the feed's address with INSTAOTP_UPDATE_FEED). Needs minisign and jq.
set -euo pipefail
[ $# -ge 7 ] || { sed -n '2,9p' "$0"; exit 2; }
version=$1 notes=$2 page=$3 base=$4 secret=$5 out=$6
shift 6
mkdir -p "$out"
entries=()
for file in "$@"; do
  case "$file" in
    *.deb) platform=linux-deb ;;
    *setup.exe) platform=windows-x64 ;;
    *) echo "not an installer this feed knows: $file" >&2; exit 2 ;;
  esac
  name=$(basename "$file")
  size=$(stat -c %s "$file")
  sum=$(sha256sum "$file" | cut -d' ' -f1)
  entries+=("$(jq -n --arg p "$platform" --arg u "$base/$name" --argjson s "$size" --arg h "$sum" \
    '{platform: $p, url: $u, size: $s, sha256: $h}')")
done
platforms=$(printf '%s\n' "${entries[@]}" | jq -s .)
jq -n --arg v "$version" --arg d "$(date -u +%F)" --arg n "$notes" --arg p "$page" \
  --argjson platforms "$platforms" \
  '{version: $v, date: $d, notes: $n, page: $p, platforms: $platforms}' >"$out/feed.json"
minisign -S -s "$secret" -m "$out/feed.json" -x "$out/feed.json.minisig" \
  -t "InstaOTP Desktop $version"
echo "wrote $out/feed.json and its signature"
