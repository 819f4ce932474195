#!/usr/bin/env bash
# Builds the Windows app and its per-user installer on Linux:
#   target/x86_64-pc-windows-gnu/<profile>/instaotp-desktop.exe
#   target/windows/InstaOTP-Desktop-<version>-x64-setup.exe
# Needs (installs nothing itself): `rustup target add x86_64-pc-windows-gnu`, and Debian's
# gcc-mingw-w64-x86-64 (linker, C compiler) and nsis (makensis). See packaging/README.md.
#
#   scripts/build-windows.sh                       # the shipped build: release (LTO)
#   scripts/build-windows.sh --profile windows-ci  # CI: the same code and features, built quicker
#   scripts/build-windows.sh --profile windows-ci --version 0.1.1
#                                                  # the same code as another version (CI's update
#                                                  # check): Cargo.toml's version is changed for the
#                                                  # build and put back; only this crate is rebuilt
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
as_version=
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile=$2; shift 2 ;;
    --version) as_version=$2; shift 2 ;;
    *) echo "usage: $0 [--profile release|windows-ci] [--version X.Y.Z]" >&2; exit 2 ;;
  esac
done

missing=()
grep -qx x86_64-pc-windows-gnu <<<"$(rustup target list --installed 2>/dev/null)" \
  || missing+=("the Rust target (rustup target add x86_64-pc-windows-gnu)")
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=("MinGW-w64 (apt-get install gcc-mingw-w64-x86-64)")
command -v makensis >/dev/null || missing+=("NSIS (apt-get install nsis)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  exit 1
fi

target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-target}
# Warnings of this crate fail the build: code behind cfg(windows) is compiled nowhere else.
log=$(mktemp)
if [ -n "$as_version" ]; then
  kept=$(mktemp -d)
  cp Cargo.toml Cargo.lock "$kept/"
  trap 'cp "$kept/Cargo.toml" "$kept/Cargo.lock" .' EXIT
  sed -i "0,/^version = \".*\"$/s//version = \"$as_version\"/" Cargo.toml
fi
cargo build --profile "$profile" --target "$target" --bin instaotp-desktop 2>&1 | tee "$log"
if grep -q '^warning: `instaotp-desktop`' "$log"; then
  echo "the Windows build has warnings (above)" >&2
  exit 1
fi
exe="$target_dir/$target/$profile/instaotp-desktop.exe"
# A window app: no console opens behind it.
headers=$(x86_64-w64-mingw32-objdump -p "$exe")
grep -q 'Subsystem.*Windows GUI' <<<"$headers" || { echo "$exe is a console program" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out_dir="$target_dir/windows"
mkdir -p "$out_dir"
setup="$(cd "$out_dir" && pwd)/InstaOTP-Desktop-$version-x64-setup.exe"
nsis_defines=(-DVERSION="$version" -DEXE="$(realpath "$exe")" -DOUTFILE="$setup")
# CI's installer is only installed under Wine: packed quickly (zlib), not small (LZMA).
[ "$profile" = windows-ci ] && nsis_defines+=(-DQUICK_COMPRESSION)
makensis -V2 "${nsis_defines[@]}" packaging/windows/installer.nsi
ls -l "$exe" "$setup"
