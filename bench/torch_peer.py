#!/usr/bin/python3
"""PyTorch (the CPU build of Debian's python3-torch) on the benchmark suite's
shapes, written as Google Benchmark JSON so that its results pair by name with
simdmask_bench's: the backend field of each name is "torch".

Run by bench/run with the shapes simdmask_bench prints (--shapes), so both
sides time exactly the same cases. What each benchmark times:

  noise_torch      torch.rand(N, L)                      (mt19937, as MAE draws noise)
  argsort_noise    torch.argsort(noise, dim=1)           (MAE's call, rows of torch.rand)
  argsort_f32      torch.sort(keys, dim=1, stable=True)  (the library's argsorts are stable)
  ids_restore      torch.argsort(ids_shuffle, dim=1)     (MAE computes the inverse by a sort)
  gather_rows      torch.gather(x, 1, idx[..., None].expand(-1, -1, D))
  masking          MAE's random_masking step, whole (below)

Timing follows Google Benchmark: iterations grow until a run lasts
--min-time seconds, then --repetitions runs are recorded with mean, median,
stddev and cv aggregates. One-thread benchmarks report the thread's CPU time
(as simdmask_bench does); masking reports wall-clock time ("/real_time").
"""
import argparse
import json
import os
import platform
import re
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shapes", required=True, help="JSON from simdmask_bench --shapes")
    p.add_argument("--out", required=True, help="Google Benchmark JSON to write")
    p.add_argument("--repetitions", type=int, default=1)
    p.add_argument("--min-time", type=float, default=0.5)
    p.add_argument("--filter", default="", help="only names this regex finds (as --benchmark_filter)")
    return p.parse_args()


def random_masking(torch, x, mask_ratio):
    """MAE's per-sample random masking by argsort of uniform noise, as the
    paper's code computes it (models_mae.py): x [N, L, D]."""
    n, l, d = x.shape
    len_keep = int(l * (1 - mask_ratio))
    noise = torch.rand(n, l)
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :len_keep]
    x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, d))
    mask = torch.ones([n, l])
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    return x_masked, mask, ids_restore


def arbitrary_floats(torch, rows, l):
    """Keys like the C side's: both signs, magnitudes 2^-20 .. 2^20, and
    some ties, NaN and signed zeros."""
    g = torch.Generator().manual_seed(1)
    m = torch.rand(rows, l, generator=g) + 0.5
    e = torch.randint(-20, 21, (rows, l), generator=g).float()
    s = torch.where(torch.rand(rows, l, generator=g) < 0.5, -1.0, 1.0)
    k = s * m * torch.pow(2.0, e)
    pick = torch.randint(0, 512, (rows, l), generator=g)
    k[pick == 0] = float("nan")
    k[pick == 1] = -0.0
    k[pick == 2] = 0.0
    ties = (pick & 63) == 3
    k[ties] = k.flatten()[torch.randint(0, rows * l, (int(ties.sum()),), generator=g)]
    return k


class Runner:
    def __init__(self, args):
        self.args = args
        self.results = []
        self.family = 0

    def run(self, name, fn, counters, real_time=False, unit="us"):
        """Times fn() like a Google Benchmark family with one instance.
        counters(seconds_per_iteration) -> dict of the run's user counters."""
        if real_time:
            name += "/real_time"
        if self.args.filter and not re.search(self.args.filter, name):
            return
        # The first call warms up (allocations, page faults) and, when it
        # already lasts min_time, sizes the run at one iteration.
        wall, _ = self._time(fn, 1)
        iters = 1
        while wall < self.args.min_time and iters < 1_000_000_000:
            # grow the iteration count until a run lasts min_time
            grow = self.args.min_time * 1.4 / max(wall, 1e-9)
            iters = int(max(iters + 1, min(iters * 10, iters * grow)))
            wall, _ = self._time(fn, iters)
        reps = self.args.repetitions
        scale = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1.0}[unit]
        runs = []
        for r in range(reps):
            wall, cpu = self._time(fn, iters)
            primary = wall if real_time else cpu
            run = {
                "name": name, "family_index": self.family, "per_family_instance_index": 0,
                "run_name": name, "run_type": "iteration", "repetitions": reps,
                "repetition_index": r, "threads": 1, "iterations": iters,
                "real_time": wall / iters * scale, "cpu_time": cpu / iters * scale,
                "time_unit": unit,
            }
            run.update(counters(primary / iters))
            runs.append(run)
        self.results += runs
        if reps > 1:
            self.results += self._aggregates(name, runs, reps, unit)
        shown = statistics.median([x["real_time" if real_time else "cpu_time"] for x in runs])
        print(f"{name:<52} {shown:12.4g} {unit}  x{iters} x{reps}", flush=True)
        self.family += 1

    @staticmethod
    def _time(fn, iters):
        c0, w0 = time.thread_time(), time.perf_counter()
        for _ in range(iters):
            fn()
        return time.perf_counter() - w0, time.thread_time() - c0

    @staticmethod
    def _aggregates(name, runs, reps, unit):
        keys = [k for k, v in runs[0].items()
                if isinstance(v, float) and k not in ("real_time", "cpu_time")]
        out = []
        for agg in ("mean", "median", "stddev", "cv"):
            def f(vals):
                if agg == "mean":
                    return statistics.fmean(vals)
                if agg == "median":
                    return statistics.median(vals)
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                if agg == "stddev":
                    return sd
                m = statistics.fmean(vals)
                return sd / m if m else 0.0
            a = {
                "name": f"{name}_{agg}", "family_index": runs[0]["family_index"],
                "per_family_instance_index": 0, "run_name": name, "run_type": "aggregate",
                "repetitions": reps, "threads": 1, "aggregate_name": agg,
                "aggregate_unit": "percentage" if agg == "cv" else "time",
                "iterations": reps,
                "real_time": f([r["real_time"] for r in runs]),
                "cpu_time": f([r["cpu_time"] for r in runs]),
                "time_unit": unit,
            }
            for k in keys:
                a[k] = f([r[k] for r in runs])
            out.append(a)
        return out


def seeds_peer(torch, R):
    """bench/bench_seeds.c's cases, one thread: seed 002's masked softmax (and
    plain softmax), MAE's patchify/unpatchify and forward_loss (+ backward)."""
    for r, c in ((4096, 197), (1024, 1024)):
        x = torch.randn(r, c) * 4
        m = (torch.arange(c) % 4 == 1).reshape(1, c)
        per = lambda s, r=r, c=c: {"bytes_per_second": r * c * 8 / s, "rows": float(r)}
        R.run(f"masked_softmax/torch/R:{r}/C:{c}",
              lambda: torch.softmax(x.masked_fill(m, -1e9), dim=-1), per)
        R.run(f"softmax/torch/R:{r}/C:{c}", lambda: torch.softmax(x, dim=-1), per)
    n, ch, h, w, p = 256, 3, 224, 224, 16
    imgs = torch.rand(n, ch, h, w)

    def patchify(imgs):
        x = imgs.reshape(n, ch, h // p, p, w // p, p)
        x = torch.einsum("nchpwq->nhwpqc", x)
        return x.reshape(n, (h // p) * (w // p), p * p * ch)

    def unpatchify(x):
        x = x.reshape(n, h // p, w // p, p, p, ch)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(n, ch, h, w)

    moved = lambda s: {"bytes_per_second": n * ch * h * w * 8 / s}
    R.run(f"patchify/torch/N:{n}/C:{ch}/H:{h}/W:{w}/p:{p}", lambda: patchify(imgs), moved, unit="ms")
    pat = patchify(imgs)
    R.run(f"unpatchify/torch/N:{n}/C:{ch}/H:{h}/W:{w}/p:{p}", lambda: unpatchify(pat), moved,
          unit="ms")
    del imgs, pat
    n, l, d = 64, 196, 768
    target, pred0 = torch.rand(n, l, d), torch.rand(n, l, d)
    mask = (torch.arange(n * l).reshape(n, l) % 4 != 0).float()

    def loss(norm, grad):
        pred = pred0.clone().requires_grad_(True) if grad else pred0
        t = target
        if norm:
            mean = t.mean(dim=-1, keepdim=True)
            var = t.var(dim=-1, keepdim=True)
            t = (t - mean) / (var + 1.e-6) ** .5
        v = ((pred - t) ** 2).mean(dim=-1)
        v = (v * mask).sum() / mask.sum()
        if grad:
            v.backward()
        return v

    for grad in (0, 1):
        for norm in (0, 1):
            R.run(f"mae_loss/torch/N:{n}/L:{l}/D:{d}/norm_pix:{norm}" + ("/grad:1" if grad else ""),
                  lambda: loss(norm, grad),
                  lambda s: {"bytes_per_second": n * l * d * (12 if grad else 8) / s}, unit="ms")


def main():
    args = parse_args()
    with open(args.shapes) as f:
        shapes = json.load(f)
    import torch  # after argument parsing: importing takes seconds

    torch.set_num_threads(1)
    torch.manual_seed(0)
    R = Runner(args)

    def per_row(rows, l):
        return lambda s: {"items_per_second": rows * l / s, "rows": float(rows),
                          "rows_per_second": rows / s}

    n, l = shapes["noise"]["n"], shapes["noise"]["l"]
    R.run(f"noise_torch/torch/N:{n}/L:{l}", lambda: torch.rand(n, l),
          lambda s: {"items_per_second": n * l / s, "floats": float(n * l)})

    for l, rows in zip(shapes["sort_l"], shapes["sort_rows"]):
        noise = torch.rand(rows, l)
        R.run(f"argsort_noise/torch/L:{l}", lambda: torch.argsort(noise, dim=1),
              per_row(rows, l))
    for l, rows in zip(shapes["sort_l"], shapes["sort_rows"]):
        keys = arbitrary_floats(torch, rows, l)
        R.run(f"argsort_f32/torch/L:{l}", lambda: torch.sort(keys, dim=1, stable=True),
              per_row(rows, l))
    for l, rows in zip(shapes["sort_l"], shapes["sort_rows"]):
        shuffle = torch.argsort(torch.rand(rows, l), dim=1)
        R.run(f"ids_restore/torch/L:{l}", lambda: torch.argsort(shuffle, dim=1),
              per_row(rows, l))

    g = shapes["gather"]
    for rb, n in zip(g["row_bytes"], g["n"]):
        x = torch.zeros(n, g["l"], rb // 4)
        for pct, k in zip(g["keep_pct"], g["k"]):
            idx = torch.argsort(torch.rand(n, g["l"]), dim=1)[:, :k]
            index = idx.unsqueeze(-1).expand(-1, -1, rb // 4)
            out_bytes = n * k * rb
            R.run(f"gather_rows/torch/row_bytes:{rb}/keep:{pct}",
                  lambda: torch.gather(x, 1, index),
                  lambda s: {"bytes_per_second": out_bytes / s, "rows": float(n * k)})
        del x

    dtypes = {"float32": torch.float32, "bfloat16": torch.bfloat16}
    for shape in shapes["masking"]:
        x = torch.ones(shape["n"], shape["l"], shape["d"], dtype=dtypes[shape["dtype"]])
        len_keep = int(shape["l"] * (1 - shape["ratio"]))
        moved = shape["n"] * len_keep * shape["row_bytes"] * 2 + shape["n"] * shape["l"] * 12
        for t in shapes["threads"]:
            torch.set_num_threads(t)
            R.run(f"masking/torch/{shape['name']}/threads:{t}",
                  lambda: random_masking(torch, x, shape["ratio"]),
                  lambda s: {"bytes_per_second": moved / s,
                             "items_per_second": shape["n"] / s,
                             "samples": float(shape["n"])},
                  real_time=True, unit="us" if shape["n"] == 1 else "ms")
        torch.set_num_threads(1)
        del x

    seeds_peer(torch, R)

    context = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "host_name": platform.node(),
        "executable": os.path.abspath(__file__),
        "num_cpus": os.cpu_count(),
        "torch_version": torch.__version__,
        "torch_parallel": " | ".join(line.strip() for line in
                                     torch.__config__.parallel_info().splitlines()
                                     if line.strip()),
        "python": sys.version.split()[0],
        "thread_binding": "OMP_PLACES=%s OMP_PROC_BIND=%s (libgomp binds torch's threads)" % (
            os.environ.get("OMP_PLACES", "unset"), os.environ.get("OMP_PROC_BIND", "unset")),
        "mode": "quick" if shapes.get("quick") else "default",
    }
    with open(args.out, "w") as f:
        json.dump({"context": context, "benchmarks": R.results}, f, indent=2)


if __name__ == "__main__":
    main()
