#!/usr/bin/env bash
# Type-checks and lints the whole crate (lib, bin, tests, examples, benches) for macOS on Linux:
# `cargo clippy --target aarch64-apple-darwin --all-targets -- -D warnings`. Nothing is linked
# or run (there is no macOS SDK here); it proves that the code behind cfg(target_os = "macos")
# compiles and is lint-clean, which no Linux or Windows build does. See packaging/README.md.
#
#   scripts/check-macos.sh                          # aarch64-apple-darwin (Apple silicon)
#   scripts/check-macos.sh x86_64-apple-darwin      # Intel Macs
#   CARGO=/work/bin/cargo-locked scripts/check-macos.sh   # through another cargo (a lock)
#
# Installs what it needs, once: the Rust target (rustup), and Zig from PyPI (`ziglang`, a pinned
# version) into a venv under the target folder. Zig's C compiler, with the macOS libc headers it
# ships, builds the C that dependencies' build scripts compile (SQLite, the TLS library aws-lc).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

target=${1:-aarch64-apple-darwin}
case "$target" in
  aarch64-apple-darwin) zig_target=aarch64-macos ;;
  x86_64-apple-darwin) zig_target=x86_64-macos ;;
  *) echo "usage: $0 [aarch64-apple-darwin|x86_64-apple-darwin]" >&2; exit 2 ;;
esac
cargo=${CARGO:-cargo}
zig_version=0.17.1

grep -qx "$target" <<<"$(rustup target list --installed)" || rustup target add "$target"

tools="$(realpath -m "${CARGO_TARGET_DIR:-target}")/macos-tools"
if ! "$tools/venv/bin/python" -m ziglang version 2>/dev/null | grep -qx "$zig_version"; then
  mkdir -p "$tools"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet "ziglang==$zig_version"
fi

# The cc crate adds flags for Apple's clang (--target=, -arch, -mmacosx-version-min); zig cc takes
# its own -target, so those are dropped.
cc_wrapper="$tools/cc-$target"
cat >"$cc_wrapper" <<EOF
#!/usr/bin/env bash
args=()
skip=0
for a in "\$@"; do
  if [ \$skip = 1 ]; then skip=0; continue; fi
  case "\$a" in
    --target=*|-mmacosx-version-min=*|-mmacos-version-min=*) ;;
    -arch|-target) skip=1 ;;
    *) args+=("\$a") ;;
  esac
done
exec "$tools/venv/bin/python" -m ziglang cc -target $zig_target "\${args[@]}"
EOF
ar_wrapper="$tools/ar"
printf '#!/usr/bin/env bash\nexec "%s/venv/bin/python" -m ziglang ar "$@"\n' "$tools" >"$ar_wrapper"
chmod +x "$cc_wrapper" "$ar_wrapper"

triple_var=${target//-/_}
export "CC_$triple_var=$cc_wrapper" "AR_$triple_var=$ar_wrapper"
# mac-notification-sys (under notify-rust) compiles Objective-C against AppKit, whose headers
# come only with Apple's SDK; its build script skips that on docs.rs, named by DOCS_RS. The one
# other build script in the graph that reads it (objc-sys) picks Apple's runtime before looking.
export DOCS_RS=1

status=0
"$cargo" clippy --target "$target" --all-targets -- -D warnings || status=$?
echo "check-macos ($target): $([ $status = 0 ] && echo ok || echo FAILED) in $((SECONDS - start)) s"
exit $status
