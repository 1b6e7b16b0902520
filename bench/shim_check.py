#!/usr/bin/python3
"""Runs bench/shim_test.c's program and checks, in Google Benchmark's JSON,
that each gbench_c call did what gbench_c.h says."""
import json
import os
import shlex
import subprocess
import sys
import tempfile


def main():
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # Cross builds run through meson's exe wrapper (qemu-aarch64).
        wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
        subprocess.run([*wrapper, sys.argv[1], "--benchmark_min_time=0.001",
                        "--benchmark_out=" + out.name, "--benchmark_out_format=json"],
                       check=True, stdout=subprocess.DEVNULL)
        d = json.load(open(out.name))
    runs = {b["name"]: b for b in d["benchmarks"] if b.get("run_type") == "iteration"}
    fails = []

    def check(cond, what):
        if not cond:
            fails.append(what)

    check(d["context"].get("shim_key") == "shim value", "gb_add_context")
    for n in (8, 16, 32, 64):
        r = runs.get(f"shim/args/n:{n}")
        check(r is not None, f"gb_range_mult + gb_arg_name: shim/args/n:{n}")
        if not r:
            continue
        check(r["n"] == n and r["m"] == 0, f"gb_range(st, 0) = {n}, gb_range(st, 1) = 0")
        check(r["label"] == "label text", "gb_set_label")
        secs = r["cpu_time"] * 1e-9  # time_unit ns, per iteration
        check(abs(r["bytes_per_second"] * secs - 8 * n) < 0.01 * 8 * n, "gb_set_bytes_processed")
        check(abs(r["items_per_second"] * secs - n) < 0.01 * n, "gb_set_items_processed")
        check(abs(r["n_per_second"] * secs - n) < 0.01 * n, "rate counter")
        check(abs(r["per_iteration"] - n) < 1e-9 * n, "avg-iterations counter")
        check(abs(r["inverted"] - 0.25) < 1e-12, "invert counter")
    p = runs.get("shim/pairs/5/7/real_time")
    check(p is not None and p["n"] == 5 and p["m"] == 7, "gb_args + gb_use_real_time")
    check(p is not None and p["time_unit"] == "us", "gb_unit")
    check(all(f"shim/dense/{i}" in runs for i in (1, 2, 3)), "gb_dense_range")
    check("shim/arg/11" in runs and runs["shim/arg/11"]["n"] == 11, "gb_arg")
    s = runs.get("shim/skip")
    check(s is not None and s.get("error_occurred") and
          s.get("error_message") == "skipped on purpose", "gb_skip_with_error")
    fixed = [b for b in d["benchmarks"]
             if b["name"].startswith("shim/fixed") and b.get("run_type") == "iteration"]
    check(len(fixed) == 2 and all(b["iterations"] == 123 for b in fixed),
          "gb_iterations_fixed + gb_repetitions")
    check(any(n.startswith("shim/min_time") for n in runs), "gb_min_time")
    for f in fails:
        print("FAIL:", f)
    print(f"{len(runs)} runs checked, {len(fails)} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
