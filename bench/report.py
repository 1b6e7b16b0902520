#!/usr/bin/python3
"""Reads Google Benchmark JSON from simdmask_bench and bench/torch_peer.py,
merges them into one result file, prints the table a person reads at a
glance (kernel x shape x backend: time, ns/row or GB/s, speedup over scalar
and over PyTorch) and draws the plot (ns/row against L, log-log; GB/s per row
size for the gathers; the masking step per shape).

    /usr/bin/python3 bench/report.py simdmask.json torch.json \\
        --merged results.json --table table.txt --plot plot.png

Names are kernel/backend/shape (Google Benchmark may append "/real_time");
runs pair by kernel and shape. With repetitions the median is used, else
the single run. One-thread benchmarks report CPU time, masking wall-clock
time (the "/real_time" ones), on both sides.
"""
import argparse
import json
import math
import os
import sys

PEERS = ("qsort", "vqsort", "memcpy", "torch")
KERNEL_ORDER = ("masking", "argsort_noise", "argsort_f32", "ids_restore", "gather_rows",
                "noise_philox", "noise_torch", "masked_softmax", "softmax", "patchify",
                "unpatchify", "mae_loss")
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("inputs", nargs="+", help="Google Benchmark JSON files")
    p.add_argument("--merged", help="write the inputs merged into one JSON file")
    p.add_argument("--table", help="also write the table to this file")
    p.add_argument("--plot", help="write the PNG plot here")
    return p.parse_args()


def load(paths):
    """One context (the first file's, the others' keys prefixed by their
    executable's kind) and every benchmark entry."""
    context, benchmarks = {}, []
    for i, path in enumerate(paths):
        with open(path) as f:
            d = json.load(f)
        ctx = d.get("context", {})
        if i == 0:
            context.update(ctx)
        else:
            prefix = "torch_" if "torch_version" in ctx else f"input{i}_"
            for k, v in ctx.items():
                key = k if k.startswith(prefix) else prefix + k
                context[key] = v
        benchmarks += d.get("benchmarks", [])
    return context, benchmarks


class Result:
    def __init__(self, entry):
        name = entry.get("run_name", entry["name"])
        self.real = name.endswith("/real_time")
        if self.real:
            name = name[: -len("/real_time")]
        parts = name.split("/")
        self.kernel, self.backend = parts[0], parts[1] if len(parts) > 1 else "?"
        self.shape = "/".join(parts[2:])
        scale = UNIT_NS[entry.get("time_unit", "ns")]
        self.ns = entry["real_time" if self.real else "cpu_time"] * scale
        self.entry = entry
        self.error = entry.get("error_message") if entry.get("error_occurred") else None

    @property
    def key(self):
        return (self.kernel, self.shape)

    def rows(self):
        return self.entry.get("rows") or self.entry.get("samples") or 1.0

    def ns_per_row(self):
        return self.ns / self.rows()

    def gbps(self):
        b = self.entry.get("bytes_per_second")
        return b / 1e9 if b else None


def pick(benchmarks):
    """Median per run name when there are repetitions, else the one run."""
    medians, singles = {}, {}
    for e in benchmarks:
        rn = e.get("run_name", e["name"])
        if e.get("run_type") == "aggregate":
            if e.get("aggregate_name") == "median":
                medians[rn] = e
        elif e.get("error_occurred"):
            singles[rn] = e
        else:
            singles.setdefault(rn, e)
    chosen = dict(singles)
    chosen.update(medians)
    return [Result(e) for e in chosen.values()]


def backend_rank(name, order):
    if name in PEERS:
        return 100 + PEERS.index(name)
    return order.index(name) if name in order else 50


def shape_sort_key(shape):
    """Numbers in a shape sort as numbers (L:576 before L:1024)."""
    out = []
    for part in shape.replace(":", "/").split("/"):
        if part in MASKING_ORDER:
            out.append((0, MASKING_ORDER.index(part), ""))
        else:
            out.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return out


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_num(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def rate(r):
    if r.kernel in ("argsort_noise", "argsort_f32", "ids_restore"):
        return f"{fmt_num(r.ns_per_row())} ns/row"
    if r.kernel.startswith("noise_"):
        floats = r.entry.get("floats", 1.0)
        return f"{r.ns / floats:.3g} ns/float"
    if r.kernel == "masking":
        return f"{fmt_num(r.ns / r.rows() / 1e3)} us/sample"
    g = r.gbps()
    return f"{g:.3g} GB/s" if g else ""


def ratio(a, b):
    if not a or not b:
        return ""
    v = a / b
    return f"{v:.0f}x" if v >= 10 else f"{v:.2f}x"


MASKING_ORDER = ("mae_vit_b", "vit_b_sample", "vit_l_bf16", "videomae", "long")


# The shapes of the short table printed at the end of a run (every shape is
# in table.txt): the masking step at every shape, and one or two telling
# shapes of each kernel.
GLANCE = {
    "argsort_noise": ("L:196", "L:1568", "L:16384"),
    "argsort_f32": ("L:196", "L:16384"),
    "ids_restore": ("L:196",),
    "gather_rows": ("row_bytes:64/keep:25", "row_bytes:3072/keep:25"),
    "masked_softmax": ("R:4096/C:197",),
    "mae_loss": ("N:64/L:196/D:768/norm_pix:1",),
}
GLANCE_SKIP = ("softmax", "patchify", "unpatchify")


def at_a_glance(key):
    kernel, shape = key
    if kernel in GLANCE:
        return shape in GLANCE[kernel]
    return kernel not in GLANCE_SKIP


def cpu_name(context):
    """The model name and, where the run recorded it, family / model / stepping:
    virtual machines name different CPUs alike ("AMD EPYC")."""
    name = context.get("cpu_model") or context.get("host_name", "?")
    cpu_id = context.get("cpu_id", "unknown")
    return f"{name} ({cpu_id})" if cpu_id != "unknown" else name


def table(results, context, backend_order, glance=False):
    by_key = {}
    for r in results:
        by_key.setdefault(r.key, {})[r.backend] = r
    lines = []
    cpu = cpu_name(context)
    lines.append(f"simdmask {context.get('simdmask_version', '?')} on {cpu}: "
                 f"{context.get('hwloc_cores', context.get('num_cpus', '?'))} cores, "
                 f"backends {context.get('backends_measured', '?')}, "
                 f"mode {context.get('mode', '?')}, {context.get('date', '')}")
    if context.get("torch_version"):
        lines.append(f"PyTorch {context['torch_version']}; times are medians of "
                     f"{reps(results)} repetition(s); x scalar and x torch: how many times "
                     f"faster than that row (>1 is faster)")
    sw = max([26] + [len(r.shape) for r in results])
    hdr = f"{'kernel':<14} {'shape':<{sw}} {'backend':<8} {'time':>10} {'rate':>18} " \
          f"{'x scalar':>9} {'x torch':>8} {'of floor':>9}"
    lines += [hdr, "-" * len(hdr)]
    keys = sorted((k for k in by_key if not glance or at_a_glance(k)),
                  key=lambda k: (KERNEL_ORDER.index(k[0]) if k[0] in KERNEL_ORDER else 99,
                                 k[0], shape_sort_key(k[1])))
    # Every result's share of its floor (memcpy of the bytes it writes, same
    # run): floor time / its time. For the closing notes (all shapes).
    floors = []
    for rows in by_key.values():
        floor = rows.get("memcpy")
        for r in rows.values():
            if floor and r is not floor and not r.error and not floor.error and r.ns:
                floors.append((floor.ns / r.ns, r))
    last_kernel = None
    for key in keys:
        if last_kernel is not None and key[0] != last_kernel:
            lines.append("")
        last_kernel = key[0]
        rows = by_key[key]
        scalar = rows.get("scalar")
        torch = rows.get("torch")
        floor = rows.get("memcpy")
        first = True
        for b in sorted(rows, key=lambda b: backend_rank(b, backend_order)):
            r = rows[b]
            kernel, shape = (key[0], key[1]) if first else ("", "")
            first = False
            if r.error:
                lines.append(f"{kernel:<14} {shape:<{sw}} {b:<8} error: {r.error}")
                continue
            of_floor = ""
            if floor and r is not floor and not floor.error and r.ns:
                of_floor = f"{100 * floor.ns / r.ns:.0f} %"
            lines.append(
                f"{kernel:<14} {shape:<{sw}} {b:<8} {fmt_time(r.ns):>10} {rate(r):>18} "
                f"{ratio(scalar.ns if scalar else None, r.ns) if b != 'scalar' else '':>9} "
                f"{ratio(torch.ns if torch else None, r.ns) if b != 'torch' else '':>8} "
                f"{of_floor:>9}")
    lines.append("")
    lines += closing_notes(by_key, floors, backend_order, context)
    return "\n".join(lines)


def reps(results):
    n = {r.entry.get("repetitions", 1) for r in results}
    return "/".join(str(x) for x in sorted(n))


def closing_notes(by_key, floors, backend_order, context):
    out = []
    lib = [(f, r) for f, r in floors if r.backend not in PEERS and r.kernel == "gather_rows"]
    if lib:
        out.append("Furthest from the floor (gather_rows GB/s as a share of memcpy's, "
                   "lowest per backend):")
        for b in backend_order:
            mine = sorted((f, r.shape) for f, r in lib if r.backend == b)
            if mine:
                worst = ", then ".join(f"{100 * f:.0f} % ({shape})" for f, shape in mine[:2])
                median = mine[len(mine) // 2][0]
                out.append(f"  {b:<8} {worst}; median {100 * median:.0f} %")
    steps = sorted(((r.shape, r.backend), f) for f, r in floors
                   if r.kernel == "masking" and r.backend not in PEERS)
    if steps:
        out.append("Masking step against memcpy of x_masked's bytes (one thread; x memcpy's time):")
        for shape in sorted({s for (s, _), _ in steps}, key=shape_sort_key):
            cells = ", ".join(f"{b} {1 / f:.2f}x" for (s, b), f in
                              sorted(steps, key=lambda t: backend_rank(t[0][1], backend_order))
                              if s == shape)
            out.append(f"  {shape:<26} {cells}")
    shared = context.get("shared_with_scalar", "none")
    if shared != "none":
        out.append("Not timed twice (the backend's table points at the scalar kernel): "
                   + shared + ".")
    best = backend_order[0] if backend_order else "scalar"
    for k in ("masking", "argsort_noise", "ids_restore"):
        pairs = [(rows[best].ns, rows["torch"].ns, shape) for (kern, shape), rows in by_key.items()
                 if kern == k and best in rows and "torch" in rows]
        if pairs:
            sp = [t / b for b, t, _ in pairs]
            out.append(f"{k}: {best} is {min(sp):.1f}x to {max(sp):.1f}x as fast as PyTorch "
                       f"over {len(pairs)} shape(s).")
    return out


def legend_or_note(ax, size, **kw):
    """A legend, or a note that the run (e.g. a --filter) had no such case."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=size, **kw)
    else:
        ax.text(0.5, 0.5, "not in this run", transform=ax.transAxes, ha="center",
                va="center", color="0.5")


def plot(results, path, backend_order, context):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    backends = sorted({r.backend for r in results}, key=lambda b: backend_rank(b, backend_order))
    colours = {b: plt.get_cmap("tab10")(i % 10) for i, b in enumerate(backends)}
    style = {b: ("--" if b in PEERS else "-") for b in backends}
    fig, axes = plt.subplots(2, 3, figsize=(17, 9.5))
    cpu = cpu_name(context)
    fig.suptitle(f"simdmask {context.get('simdmask_version', '')} on {cpu} "
                 f"({context.get('hwloc_cores', context.get('num_cpus', '?'))} cores); "
                 f"medians, lower is better except GB/s", fontsize=12)

    def per_l_lines(ax, kernel, title):
        for b in backends:
            pts = sorted((int(r.shape.split(":")[1]), r.ns_per_row()) for r in results
                         if r.kernel == kernel and r.backend == b and not r.error
                         and r.shape.startswith("L:"))
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style[b], marker="o",
                        ms=4, color=colours[b], label=b)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("row length L")
        ax.set_ylabel("ns per row")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        legend_or_note(ax, 8)

    shared = {}
    for item in context.get("shared_with_scalar", "none").split():
        if "." in item:
            b, slot = item.split(".", 1)
            shared.setdefault(slot, []).append(b)
    slot_of = {"argsort_noise": "argsort_noise", "argsort_f32": "argsort_f32",
               "ids_restore": "inverse_perm"}

    def per_l(ax, kernel, title):
        per_l_lines(ax, kernel, title)
        if shared.get(slot_of[kernel]):
            ax.text(0.98, 0.03, " ".join(shared[slot_of[kernel]]) + ": the scalar kernel",
                    transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color="0.35")

    per_l(axes[0][0], "argsort_noise", "argsort, 24-bit noise keys")
    per_l(axes[0][1], "argsort_f32", "argsort, arbitrary float keys")
    per_l(axes[0][2], "ids_restore", "ids_restore (inverse permutation)")

    for ax, keep in ((axes[1][0], 25), (axes[1][1], 10)):
        for b in backends:
            pts = []
            for r in results:
                if r.kernel == "gather_rows" and r.backend == b and not r.error \
                        and r.shape.endswith(f"keep:{keep}") and r.gbps():
                    pts.append((int(r.shape.split("/")[0].split(":")[1]), r.gbps()))
            pts.sort()
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style[b], marker="o", ms=4,
                        color=colours[b], label=b)
        ax.set_xscale("log", base=2)
        sizes = sorted({int(r.shape.split("/")[0].split(":")[1]) for r in results
                        if r.kernel == "gather_rows"})
        ax.set_xticks(sizes)
        ax.set_xticklabels([str(x) for x in sizes])
        ax.minorticks_off()
        ax.set_xlabel("row bytes")
        ax.set_ylabel("GB/s written")
        ax.set_title(f"row gather, {keep} % of rows kept (memcpy: the floor)")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_ylim(bottom=0)
        legend_or_note(ax, 8)

    ax = axes[1][2]
    shapes = sorted({r.shape for r in results if r.kernel == "masking"},
                    key=lambda s: (s.split("/")[1], shape_sort_key(s)))
    mb = [b for b in backends if any(r.kernel == "masking" and r.backend == b for r in results)]
    width = 0.8 / max(1, len(mb))
    for i, b in enumerate(mb):
        xs, ys = [], []
        for j, s in enumerate(shapes):
            for r in results:
                if r.kernel == "masking" and r.backend == b and r.shape == s and not r.error:
                    xs.append(j + (i - (len(mb) - 1) / 2) * width)
                    ys.append(r.ns / 1e6)
        ax.bar(xs, ys, width, color=colours[b], label=b)
    ax.set_xticks(range(len(shapes)))
    ax.set_xticklabels([s.replace("/threads:", "\nthreads ") for s in shapes], fontsize=7)
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi * 8)  # room for the legend above the bars
    ax.set_ylabel("ms per masking step")
    ax.set_title("whole masking step (MAE random_masking)")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    legend_or_note(ax, 8, loc="upper center", ncol=max(1, len(mb)))

    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(path, dpi=110)


def main():
    args = parse_args()
    context, benchmarks = load(args.inputs)
    if args.merged:
        with open(args.merged, "w") as f:
            json.dump({"context": context, "benchmarks": benchmarks}, f, indent=2)
    results = pick(benchmarks)
    if not results:
        sys.exit("report.py: no benchmark results in " + " ".join(args.inputs))
    backend_order = context.get("backends_measured", "scalar").split()
    text = table(results, context, backend_order)
    if args.table:
        print(table(results, context, backend_order, glance=True))
        print(f"\n(the short table; every kernel and shape: {os.path.basename(args.table)})")
    else:
        print(text)
    if args.table:
        with open(args.table, "w") as f:
            f.write(text + "\n")
    if args.plot:
        plot(results, args.plot, backend_order, context)


if __name__ == "__main__":
    main()
