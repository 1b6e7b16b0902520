#!/usr/bin/python3
"""Runs simdmask_bench within a wall-clock budget, whatever the number of
backends and however busy the machine, and shows one progress line per
benchmark. Used by bench/run.

Google Benchmark sizes each benchmark by --benchmark_min_time of the
thread's CPU time; on a shared machine a second of CPU time can take several
of wall-clock time, and the ratio changes while the suite runs. So the suite
runs in chunks of about 1/10 of the benchmarks; after each chunk the measured
cost (wall seconds per benchmark per unit of min_time) sizes the next
chunk's min_time to what is left of the budget. The chunks' JSON files are
merged into one, as a single run would have written it.

Within a chunk the repetitions run in random order
(--benchmark_enable_random_interleaving), and every chunk holds whole groups
of one kernel and shape (each backend and its peers: memcpy, vqsort, ...):
the host's speed drifts by 10-20 % over minutes, and a ratio read from the
table (x scalar, of floor) is only as good as the pairing of its two sides.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", required=True, help="simdmask_bench")
    p.add_argument("--out", required=True, help="merged Google Benchmark JSON")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--budget", type=float, required=True, help="wall-clock seconds")
    p.add_argument("--filter", default="", help="--benchmark_filter for the whole suite")
    p.add_argument("--chunks", type=int, default=10)
    p.add_argument("bench_args", nargs="*", help="more arguments for simdmask_bench (--quick)")
    return p.parse_args()


def list_tests(args):
    cmd = [args.bin, *args.bench_args, "--benchmark_list_tests"]
    if args.filter:
        cmd.append("--benchmark_filter=" + args.filter)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def exact(names):
    """A filter that selects exactly these names (they hold no regex
    metacharacters but '.', escaped anyway)."""
    return "^(" + "|".join(re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", n) for n in names) + ")$"


def groups(names):
    """Names grouped by kernel and shape (kernel/backend/shape, maybe with
    "/real_time"), in the order they first appear."""
    out = {}
    for n in names:
        parts = n.removesuffix("/real_time").split("/")
        out.setdefault((parts[0], "/".join(parts[2:])), []).append(n)
    return list(out.values())


def main():
    args = parse_args()
    t0 = time.monotonic()
    names = list_tests(args)
    if not names:
        sys.exit("suite.py: no benchmark matches the filter")
    reps = args.repetitions
    per = max(1, -(-len(names) // args.chunks))
    chunks = []
    for group in groups(names):
        if not chunks or len(chunks[-1]) >= per:
            chunks.append([])
        chunks[-1] += group
    # Cost model: wall seconds = benchmarks x (reps + 1.5) x min_time x k.
    # k starts at 3 (a machine shared with a few other jobs), then is measured.
    k = 3.0
    done = 0
    merged = None
    tmp = args.out + ".chunk.json"
    print(f"{len(names)} benchmarks x {reps} repetition(s) in {len(chunks)} chunks, "
          f"budget {args.budget:.0f} s", flush=True)
    for ci, chunk in enumerate(chunks):
        left = args.budget - (time.monotonic() - t0)
        remaining = len(names) - done
        min_time = max(0.005, min(0.5, left / (remaining * (reps + 1.5) * k)))
        cmd = [args.bin, *args.bench_args, "--benchmark_filter=" + exact(chunk),
               f"--benchmark_repetitions={reps}", f"--benchmark_min_time={min_time:.3f}",
               "--benchmark_enable_random_interleaving=true",
               "--benchmark_display_aggregates_only=true", "--benchmark_color=false",
               "--benchmark_out=" + tmp, "--benchmark_out_format=json"]
        print(f"-- chunk {ci + 1}/{len(chunks)}: min time {min_time:.3f} s "
              f"(cost factor {k:.1f}, {max(0, left):.0f} s left)", flush=True)
        c0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        in_table = False
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("-----"):
                in_table = True
                continue
            if not in_table:
                # The context header: once, from the first chunk.
                if ci == 0 and "Library was built as DEBUG" not in line:
                    print(line, flush=True)
                continue
            if line.startswith("Benchmark ") or not line.strip():
                continue
            if re.search(r"_(mean|stddev|cv)\s", line):
                continue
            if re.match(r"[a-z0-9_]+/\S+", line):
                done += 1
                print(f"[{done:3d}/{len(names)}] {line}", flush=True)
            else:
                print(line, flush=True)
        if proc.wait() != 0:
            sys.exit(f"suite.py: simdmask_bench failed (exit {proc.returncode})")
        spent = time.monotonic() - c0
        k = max(0.5, spent / (len(chunk) * (reps + 1.5) * min_time))
        with open(tmp) as f:
            part = json.load(f)
        if merged is None:
            merged = part
        else:
            merged["benchmarks"] += part["benchmarks"]
    os.remove(tmp)
    merged["context"]["suite_chunks"] = str(len(chunks))
    merged["context"]["suite_wall_seconds"] = f"{time.monotonic() - t0:.0f}"
    with open(args.out, "w") as f:
        json.dump(merged, f, indent=2)
    print(f"simdmask_bench: {len(names)} benchmarks in {time.monotonic() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
