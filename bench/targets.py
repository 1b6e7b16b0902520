#!/usr/bin/env python3
"""The speed targets of the x86 backends against one benchmark run.

    /usr/bin/python3 bench/targets.py RESULTS.json

prints a Markdown table: one row per target (one thread, AVX-512's figure
marked against it with a cross where it misses), each backend's figure and the
peers' from the same run (PyTorch, vqsort, memcpy). The figures are the
medians that bench/run records; a benchmark the run left out (--filter,
--no-torch, a backend this CPU lacks) shows as a dash.
"""
import json
import sys

BACKENDS = ("avx512", "avx2", "sse4", "scalar")
SORT_L = (49, 196, 576, 1024, 1568, 4096, 16384, 65536)
NOISE_TARGET = dict(zip(SORT_L, (55, 170, 1600, 3200, 5000, 14000, 50000, 240000)))
GATHER_ROWS = (64, 256, 1024, 3072, 8192)


def load(path):
    with open(path) as f:
        doc = json.load(f)
    med = {}
    for b in doc["benchmarks"]:
        if b.get("aggregate_name") == "median" or (
            b.get("run_type") == "iteration" and b["run_name"] not in med and b.get("repetitions", 1) == 1
        ):
            med[b["run_name"]] = b
    return doc.get("context", {}), med


def ns(b):
    """The benchmark's time in ns: wall clock for the threaded step, else CPU."""
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
    t = b["real_time"] if b["run_name"].endswith("/real_time") else b["cpu_time"]
    return t * scale


def fmt(x):
    if x is None:
        return "-"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.1f}"
    return f"{x:.3f}"


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ctx, med = load(argv[1])

    def get(name):
        return med.get(name)

    def per(name, what, l=1):
        b = get(name)
        if not b:
            return None
        if what == "float":
            return ns(b) / b["floats"]
        if what == "row":
            return ns(b) / b["rows"]
        return ns(b) / (b["rows"] * l)  # element

    rows = []

    def row(kernel, target, values, peer, miss):
        cells = [fmt(v) for v in values]
        if values[0] is not None and miss(values[0]):
            cells[0] += " ✗"
        rows.append([kernel, target] + cells + [peer])

    for gen, goal in (("torch", 0.25), ("philox", 0.35)):
        name = "noise_%s/%%s/N:256/L:196" % gen
        vals = [per(name % b, "float") for b in BACKENDS]
        torch = per(name % "torch", "float") if gen == "torch" else None
        row(f"noise, {gen} generator (ns/float)", f"<= {goal}", vals,
            f"torch.rand {fmt(torch)}" if torch else "", lambda v, g=goal: v > g)

    for kind, label, factor in (("noise", "noise", 1), ("f32", "float keys", 2)):
        for l in SORT_L:
            name = f"argsort_{kind}/%s/L:{l}"
            vals = [per(name % b, "row") for b in BACKENDS]
            goal = NOISE_TARGET[l] * factor
            peers = ", ".join(f"{p} {fmt(per(name % p, 'row'))}" for p in ("vqsort", "torch")
                              if get(name % p))
            row(f"argsort {label} L={l} (ns/row)", f"<= {goal:,}", vals, peers,
                lambda v, g=goal: v > g)

    for l in (49, 196, 65536):
        name = f"ids_restore/%s/L:{l}"
        vals = [per(name % b, "element", l) for b in BACKENDS]
        torch = per(name % "torch", "element", l)
        row(f"ids_restore L={l} (ns/element)", "<= 0.4", vals,
            f"torch {fmt(torch)}" if torch else "", lambda v: v > 0.4)

    for rb in GATHER_ROWS:
        goal = 70 if rb < 256 else 90
        shares, misses = [], False
        for b in BACKENDS:
            parts = []
            for keep in (25, 10):
                name = f"gather_rows/%s/row_bytes:{rb}/keep:{keep}"
                g, m = get(name % b), get(name % "memcpy")
                if not g or not m:
                    parts.append("-")
                    continue
                share = 100.0 * ns(m) / ns(g)
                mark = " ✗" if b == "avx512" and share < goal else ""
                misses |= b == "avx512" and share < goal
                parts.append(f"{share:.1f} %{mark}")
            shares.append(" / ".join(parts))
        mem = []
        for keep in (25, 10):
            m = get(f"gather_rows/memcpy/row_bytes:{rb}/keep:{keep}")
            mem.append(f"{m['bytes_per_second'] / 1e9:.1f}" if m else "-")
        rows.append([f"row gather {rb}-byte rows, 25 % / 10 % kept (of memcpy)", f">= {goal} %"]
                    + shares + ["memcpy " + " / ".join(mem) + " GB/s"])

    step = "masking/%s/mae_vit_b/threads:1/real_time"
    torch, memcpy = get(step % "torch"), get(step % "memcpy")
    cells_t, cells_m = [], []
    for b in BACKENDS:
        s = get(step % b)
        if not s:
            cells_t.append("-")
            cells_m.append("-")
            continue
        ms = ns(s) / 1e6
        x = ns(torch) / ns(s) if torch else None
        cells_t.append(f"{ms:.2f} ms" + (f", {x:.0f}x" if x else "")
                       + (" ✗" if b == "avx512" and x is not None and x < 25 else ""))
        y = ns(s) / ns(memcpy) if memcpy else None
        cells_m.append(f"{y:.2f}x" + (" ✗" if b == "avx512" and y > 1.2 else "") if y else "-")
    rows.append(["masking step MAE ViT-B, 1 thread", ">= 25x PyTorch"] + cells_t
                + [f"torch {ns(torch) / 1e6:.1f} ms" if torch else ""])
    rows.append(["masking step MAE ViT-B, 1 thread", "<= 1.2x memcpy"] + cells_m
                + [f"memcpy {ns(memcpy) / 1e6:.2f} ms" if memcpy else ""])

    cpu = ctx.get("cpu_id") or ctx.get("cpu_model", "")
    print(f"{cpu}, {ctx.get('date', '')}")
    print()
    print("| kernel | target | " + " | ".join(BACKENDS) + " | peer |")
    print("|---" * (len(BACKENDS) + 3) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
