#!/usr/bin/env bash
# Valgrind memcheck over the test suite of a plain gcc build (build-ci-valgrind),
# every test binary run under
#   valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
# (a memcheck error or a definite leak fails the test). Usage:
#   bash .ci/valgrind.sh [meson test arguments, e.g. a suite: --suite limits]
# Notes:
#   - Check's fork mode is followed by valgrind (fork without exec needs no
#     --trace-children); CK_FORK=no is set anyway so that each binary's report
#     is one process's.
#   - valgrind 3.19 has no AVX-512: its synthetic CPUID hides it, so the
#     avx512 backend reports itself unsupported and is skipped, as on a CPU
#     without it. The other backends run.
#   - Sanitizer and libFuzzer builds cannot run under valgrind (their shadow
#     memory); those are .ci/sanitize.sh's.
#   - libgomp keeps its thread pool until exit: "possibly lost" blocks are
#     not errors, definite leaks are; .ci/valgrind.supp names the one
#     definite block of libgomp's own (its initializer, under dlopen), which
#     needs --keep-debuginfo=yes (without it memcheck prints that block's
#     frames as ??? with no object name, and no pattern matches them).
set -euo pipefail
cd "$(dirname "$0")/.."

meson setup build-ci-valgrind -Dbuildtype=debugoptimized -Dbench=disabled -Dtool=disabled
ninja -C build-ci-valgrind
CK_FORK=no meson test -C build-ci-valgrind --print-errorlogs --num-processes 2 \
  --timeout-multiplier 20 \
  --wrapper "valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes --keep-debuginfo=yes --suppressions=$PWD/.ci/valgrind.supp" \
  "$@"
