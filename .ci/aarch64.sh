#!/usr/bin/env bash
# The aarch64 build and test suite on an x86-64 Debian 12 machine: installs the
# cross compilers, qemu-user and the arm64 libraries (Debian multiarch), cross-
# builds the library, the CLI, the tests and the benchmarks into
# build-ci-aarch64, and runs every meson test under qemu-aarch64. The suites
# run once per backend compiled in (SIMDMASK_BACKEND=neon and =scalar).
#   bash .ci/aarch64.sh        (as root, or with sudo; ~10 minutes on 2 cores)
# Timings under qemu mean nothing: nothing here measures speed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${AARCH64_BUILD_DIR:-build-ci-aarch64}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

pkgs=(
  meson ninja-build pkg-config
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user
  librandom123-dev                              # headers only, any architecture
  libc6:arm64 libgomp1:arm64                    # run time of every test under qemu
  check:arm64 libsubunit-dev:arm64              # test framework
  libhwloc-dev:arm64                            # CLI and benchmarks
  libbenchmark-dev:arm64 libhwy-dev:arm64       # benchmarks and their peers
  libsleef-dev:arm64
)

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -q
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== aarch64: cross-build (gcc 12, cross/aarch64-linux-gnu.ini)"
rm -rf "$build"
meson setup --cross-file cross/aarch64-linux-gnu.ini "$build"
ninja -C "$build" -j2

echo "== aarch64: meson test under qemu-aarch64"
# Check's per-test timeouts are for native speed; qemu runs ~5-20x slower.
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
status=0
meson test -C "$build" --print-errorlogs --num-processes 2 --timeout-multiplier 4 || status=$?

# Tests and Check assertions-groups per backend: a suite registered once per
# backend runs with SIMDMASK_BACKEND set; with NEON compiled in, both neon
# and scalar must appear. Suites that call every backend's kernels directly
# (kernels, argsort_kernels) run once, unforced.
python3 - "$build/meson-logs/testlog.json" <<'EOF'
import collections, json, re, sys
tests, checks = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    t = json.loads(line)
    b = (t.get("env") or {}).get("SIMDMASK_BACKEND", "(not forced)")
    tests[b, t["result"]] += 1
    for m in re.finditer(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", t.get("stdout") or ""):
        checks[b, "checks"] += int(m.group(1))
        checks[b, "failures+errors"] += int(m.group(2)) + int(m.group(3))
for b in sorted({b for b, _ in tests}):
    res = ", ".join(f"{n} {r}" for (bb, r), n in sorted(tests.items()) if bb == b)
    print(f"  SIMDMASK_BACKEND={b}: tests {res}; Check: {checks[b, 'checks']} checks, "
          f"{checks[b, 'failures+errors']} failures+errors")
forced = {b for b, _ in tests if b != "(not forced)"}
if forced and not {"neon", "scalar"} <= forced:
    sys.exit(f"aarch64: expected suites forced to neon and to scalar, got {sorted(forced)}")
EOF

cli="$build/src/simdmask"
if [ -x "$cli" ]; then
  echo "== aarch64: simdmask info under qemu-aarch64"
  out=$(qemu-aarch64 -L / "$cli" info)
  echo "$out"
  # The default backend on any AArch64 CPU is neon (HWCAP_ASIMD).
  echo "$out" | grep -Eq "^active +neon" || { echo "aarch64: simdmask info: neon not active" >&2; exit 1; }
fi
exit "$status"
