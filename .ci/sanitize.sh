#!/usr/bin/env bash
# Sanitizer and fuzzing runs (called by .ci/run; runs alone too, from any
# directory, after `bash .ci/setup`):
#   1. ASan + UBSan (clang-14): the whole test suite, the fuzz corpora
#      replayed; any report aborts the test (halt_on_error).
#   2. libFuzzer: every harness for FUZZ_SECONDS (default 90; 5 harnesses,
#      about 8 minutes on 2 cores), starting from a copy of its committed
#      corpus; a crash fails the run and leaves the input in
#      build-ci-asan/fuzz-artifacts/<harness>/.
#   3. ThreadSanitizer (clang-14, libomp): racing first calls, OpenMP splits
#      and backend switches (tests/test_threads.c), and the masking corpus
#      replayed (its inputs use 1 to 4 threads).
# Build dirs start with build-ci so that .ci/summary.py counts their tests.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${FUZZ_SECONDS:-90}
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/.ci/lsan.supp
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Passive OpenMP waits: spinning workers (the default) starve the next
# input on 2 cores; masking inputs ask for up to 4 threads.
export OMP_WAIT_POLICY=passive

echo "== ASan + UBSan: whole test suite (clang-14)"
# -Dfuzzing=true instruments for libFuzzer as well, so one build serves both
# steps; b_lundef=false because the sanitizer runtimes are linked only into
# executables, not into libsimdmask.so.
CC=clang-14 CXX=clang++-14 meson setup build-ci-asan \
  -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
  -Dfuzzing=true -Dbench=disabled -Dtool=disabled
ninja -C build-ci-asan
# CK_FORK=no: LeakSanitizer cannot run in a child forked from a process
# that has OpenMP threads ("LeakSanitizer has encountered a fatal error").
# ASan slows the suite ~3x (argsort_kernels takes over its 120 s alone).
CK_FORK=no meson test -C build-ci-asan --print-errorlogs --num-processes 2 --timeout-multiplier 4

echo "== libFuzzer: ${fuzz_seconds} s per harness"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for f in build-ci-asan/tests/fuzz/fuzz_*; do
  h=${f##*/fuzz_}
  mkdir -p "$work/$h" "build-ci-asan/fuzz-artifacts/$h"
  cp tests/fuzz/corpus/"$h"/* "$work/$h/"
  # -timeout: one input taking 10 s is a hang; -max_len: inputs past 512
  # bytes add nothing (arrays repeat the input's tail, see fuzz_common.h).
  if ! "$f" -max_total_time="$fuzz_seconds" -max_len=512 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="build-ci-asan/fuzz-artifacts/$h/" \
      "$work/$h" > "build-ci-asan/fuzz-$h.log" 2>&1; then
    echo "fuzz_$h: FAILED (log build-ci-asan/fuzz-$h.log)"
    tail -40 "build-ci-asan/fuzz-$h.log"
    failed=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-ci-asan/fuzz-$h.log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "build-ci-asan/fuzz-$h.log")
  echo "fuzz_$h: $runs executions clean, $speed exec/s"
done
[ "$failed" -eq 0 ]

echo "== ThreadSanitizer (clang-14, libomp with Archer)"
# GCC's libgomp is not built with TSan, so its barriers are invisible and
# every OpenMP region reports false races. clang links LLVM's libomp, and
# Archer (libarcher.so, from libomp-14-dev) tells TSan what libomp's
# synchronisation means; TSan then ignores libomp's own uninstrumented code.
CC=clang-14 CXX=clang++-14 meson setup build-ci-tsan \
  -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized \
  -Dbench=disabled -Dtool=disabled
ninja -C build-ci-tsan
archer=/usr/lib/llvm-14/lib/libarcher.so
[ -f "$archer" ] || { echo "missing $archer (Debian package libomp-14-dev)"; exit 1; }
OMP_TOOL_LIBRARIES=$archer \
TSAN_OPTIONS=halt_on_error=1:ignore_noninstrumented_modules=1 \
  meson test -C build-ci-tsan --print-errorlogs --num-processes 2 threads fuzz_replay_masking
