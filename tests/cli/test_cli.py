"""Tests of the simdmask command-line tool, printed as TAP.

usage: test_cli.py SIMDMASK GOLDEN_DIR GROUP

The references are PyTorch's: tests/golden/masking_*.txt (PyTorch 1.13's
random_masking results) and tests/cli/torch_print.txt (PyTorch's own print of
the same tensors, written by make_expected.py). Only the standard library is
used, so any python3 runs it.
"""
import json
import os
import re
import shlex
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL, GOLDEN, GROUP = sys.argv[1], sys.argv[2], sys.argv[3]
# A cross build (e.g. aarch64 under qemu-aarch64) runs the tool through the
# cross file's exe_wrapper, which meson passes to every test in this variable.
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))

results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))
    return ok


def run(*args, env=None):
    e = {k: v for k, v in os.environ.items() if k != "SIMDMASK_BACKEND"}
    e.update(env or {})
    p = subprocess.run([*WRAPPER, TOOL, *args], capture_output=True, text=True, env=e, timeout=120)
    return p.returncode, p.stdout, p.stderr


def f32(x):
    """x rounded to float32, as a Python float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def read_golden(path):
    """{'params': {...}, 'tensors': {name: (shape, flat values)}} of one golden file."""
    params, tensors = {}, {}
    words = []
    with open(path) as f:
        lines = [ln for ln in f.read().splitlines() if ln and not ln.startswith("#")]
    i = 0
    while i < len(lines):
        w = lines[i].split()
        i += 1
        if w[0] == "param":
            params[w[1]] = w[2]
        elif w[0] == "tensor":
            name, dtype, ndim = w[1], w[2], int(w[3])
            shape = [int(d) for d in w[4:4 + ndim]]
            count = 1
            for d in shape:
                count *= d
            words = []
            while len(words) < count:
                words += lines[i].split()
                i += 1
            if dtype in ("f32", "f64"):
                vals = [float.fromhex(v) for v in words]
            else:
                vals = [int(v) for v in words]
            tensors[name] = (shape, vals)
    return params, tensors


def rows(flat, n, l):
    return [flat[r * l:(r + 1) * l] for r in range(n)]


# ---------------------------------------------------------------- groups


def test_seed000():
    """`simdmask mask --rng torch --seed 2324 --n 2 --l 8 --ratio 0.4`: the
    mask and ids_restore of seed 000 (the MAE snippet under torch.manual_seed(2324))."""
    rc, out, err = run("mask", "--rng", "torch", "--seed", "2324", "--n", "2", "--l", "8",
                       "--ratio", "0.4")
    check(rc == 0 and err == "", "seed 000 command succeeds", err)
    # PyTorch's print, exactly (continuation lines indented by len("tensor([") = 8).
    mask = ("tensor([[0., 0., 0., 1., 1., 1., 0., 1.],\n"
            "        [0., 0., 1., 1., 0., 1., 0., 1.]])\n")
    restore = ("tensor([[1, 0, 2, 4, 7, 6, 3, 5],\n"
               "        [3, 0, 6, 4, 1, 5, 2, 7]])\n")
    check("mask=\n" + mask in out, "mask printed as PyTorch prints a_mask", out)
    check("ids_restore=\n" + restore in out, "ids_restore printed as PyTorch prints a_ids_restore",
          out)
    # The seed text as published (its page dropped leading whitespace): the
    # same lines once the indentation is stripped.
    seed_lines = ["tensor([[0., 0., 0., 1., 1., 1., 0., 1.],",
                  "[0., 0., 1., 1., 0., 1., 0., 1.]])",
                  "tensor([[1, 0, 2, 4, 7, 6, 3, 5],",
                  "[3, 0, 6, 4, 1, 5, 2, 7]])"]
    stripped = [ln.strip() for ln in out.splitlines()]
    check(stripped[stripped.index("mask=") + 1:stripped.index("mask=") + 3] == seed_lines[:2],
          "mask lines equal seed 000's a_mask lines")
    check(stripped[stripped.index("ids_restore=") + 1:] == seed_lines[2:],
          "ids_restore lines equal seed 000's a_ids_restore lines")
    # The same on every backend and thread count.
    for backend in supported_backends():
        for threads in ("1", "2"):
            rc2, out2, _ = run("mask", "--rng", "torch", "--seed", "2324", "--n", "2", "--l", "8",
                               "--ratio", "0.4", "--backend", backend, "--threads", threads)
            check(rc2 == 0 and out2 == out, f"same print with --backend {backend} --threads {threads}")


def test_torch_print():
    """Every case of torch_print.txt: line wrapping, summarising, widths."""
    with open(os.path.join(HERE, "torch_print.txt")) as f:
        cases = f.read().split("=== ")[1:]
    check(len(cases) >= 7, "torch_print.txt has its cases")
    for case in cases:
        args, _, expected = case.partition("\n")
        rc, out, err = run("mask", *args.split())
        check(rc == 0 and out == expected, f"mask {args} prints as PyTorch does",
              first_difference(expected, out) + err)


def first_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return f"line {i + 1}: expected {x!r}, got {y!r}"
    return "" if len(al) == len(bl) else f"expected {len(al)} lines, got {len(bl)}"


def test_json_golden():
    """--json against every masking golden case (PyTorch's results)."""
    files = sorted(f for f in os.listdir(GOLDEN) if f.startswith("masking_seed"))
    check(len(files) >= 5, "masking golden files found", str(files))
    for name in files:
        params, t = read_golden(os.path.join(GOLDEN, name))
        n, l = int(params["N"]), int(params["L"])
        ratio = float.fromhex(params["mask_ratio"])
        rc, out, err = run("mask", "--json", "--rng", "torch", "--seed", params["seed"],
                           "--n", str(n), "--l", str(l), "--ratio", repr(ratio))
        if not check(rc == 0, f"{name}: mask --json succeeds", err):
            continue
        try:
            j = json.loads(out)
        except ValueError as e:
            check(False, f"{name}: output parses as JSON", str(e))
            continue
        keys = {"backend", "rng", "seed", "n", "l", "mask_ratio", "len_keep", "noise",
                "ids_shuffle", "ids_restore", "mask"}
        check(keys <= set(j), f"{name}: keys present", str(sorted(keys - set(j))))
        check(j["rng"] == "torch" and j["seed"] == int(params["seed"]) and j["n"] == n
              and j["l"] == l and j["mask_ratio"] == ratio,
              f"{name}: rng, seed, n, l, mask_ratio echo the arguments")
        check(j["len_keep"] == int(params["len_keep"]), f"{name}: len_keep")
        noise = [f32(v) for row in j["noise"] for v in row]
        check(len(j["noise"]) == n and all(len(r) == l for r in j["noise"])
              and noise == t["noise"][1], f"{name}: noise (float32, %.9g round-trips)")
        for key in ("ids_shuffle", "ids_restore"):
            check(j[key] == rows(t[key][1], n, l), f"{name}: {key}")
        check(j["mask"] == rows(t["mask"][1], n, l), f"{name}: mask")


def test_json_props():
    """philox --json: invariants, and the same bits on every backend and thread count."""
    base = ("mask", "--json", "--n", "5", "--l", "196", "--ratio", "0.75", "--seed", "42",
            "--stream", "3")
    rc, out, err = run(*base)
    check(rc == 0, "philox mask --json succeeds", err)
    j = json.loads(out)
    check(j["rng"] == "philox" and j["len_keep"] == 49, "rng philox, len_keep int(196 * 0.25)")
    ok_perm = ok_inv = ok_sorted = ok_mask = True
    for noise, shuf, rest, mask in zip(j["noise"], j["ids_shuffle"], j["ids_restore"], j["mask"]):
        ok_perm &= sorted(shuf) == list(range(196))
        ok_inv &= all(rest[s] == k for k, s in enumerate(shuf))
        keyed = [(noise[s], s) for s in shuf]
        ok_sorted &= keyed == sorted(keyed)        # ascending, ties in index order
        ok_mask &= mask == [0 if r < 49 else 1 for r in rest]
        ok_mask &= all(0.0 <= v < 1.0 for v in noise)
    check(ok_perm, "ids_shuffle rows are permutations")
    check(ok_inv, "ids_restore is the inverse of ids_shuffle")
    check(ok_sorted, "ids_shuffle is the stable ascending argsort of the noise")
    check(ok_mask, "mask is 1 exactly where ids_restore >= len_keep; noise in [0, 1)")
    for backend in supported_backends():
        for threads in ("1", "2", "3"):
            rc2, out2, _ = run(*base, "--backend", backend, "--threads", threads)
            j2 = json.loads(out2) if rc2 == 0 else {}
            j2.pop("backend", None)
            j1 = dict(j)
            j1.pop("backend")
            check(j2 == j1, f"philox output identical with --backend {backend} --threads {threads}")
    # A row's noise depends on (seed, stream, row) only: not on N.
    rc3, out3, _ = run("mask", "--json", "--n", "1", "--l", "196", "--ratio", "0.75",
                       "--seed", "42", "--stream", "3")
    check(rc3 == 0 and json.loads(out3)["noise"][0] == j["noise"][0],
          "philox row 0 is the same for --n 1 and --n 5")
    rc4, out4, _ = run(*base[:-1], "4")
    check(rc4 == 0 and json.loads(out4)["noise"] != j["noise"], "another --stream, other noise")


def supported_backends():
    rc, out, _ = run("info", "--json")
    return [b["name"] for b in json.loads(out)["backends"] if b["supported"]] if rc == 0 else []


def cpuinfo_id():
    """The cpu_id that /proc/cpuinfo's first processor gives, or None."""
    try:
        with open("/proc/cpuinfo") as f:
            block = f.read().split("\n\n")[0]
    except OSError:
        return None
    kv = {}
    for ln in block.splitlines():
        k, _, v = ln.partition(":")
        kv[k.strip()] = v.strip()
    if all(k in kv for k in ("vendor_id", "cpu family", "model", "stepping")):
        return (f"{kv['vendor_id']} family {kv['cpu family']} model {kv['model']} "
                f"stepping {kv['stepping']}")
    if all(k in kv for k in ("CPU implementer", "CPU part", "CPU variant", "CPU revision")):
        return (f"implementer {kv['CPU implementer']} part {kv['CPU part']} "
                f"variant {kv['CPU variant']} revision {kv['CPU revision']}")
    return None


def test_info():
    rc, out, err = run("info", "--json")
    check(rc == 0 and err == "", "info --json succeeds", err)
    j = json.loads(out)
    for key in ("version", "topology", "cpu_features", "backends", "active_backend", "reason",
                "threads"):
        check(key in j, f"info --json has {key}")
    topo = j["topology"]
    check(all(k in topo for k in ("cpu_model", "packages", "cores", "pus", "numa_nodes",
                                  "l1d_bytes", "l2_bytes", "l3_bytes", "l3_count")),
          "topology has model, counts and caches")
    check(topo["cores"] >= 1 and topo["pus"] >= topo["cores"], "at least one core, PUs >= cores")
    check(isinstance(topo.get("cpu_id"), str) and topo["cpu_id"], "topology has a cpu_id")
    want = cpuinfo_id()
    if want and not WRAPPER:  # under an emulator /proc/cpuinfo is the host's
        check(topo["cpu_id"] == want, "cpu_id has /proc/cpuinfo's family, model and stepping",
              f"{topo['cpu_id']!r} vs {want!r}")
    names = [b["name"] for b in j["backends"]]
    check("scalar" in names and names[-1] == "scalar", "scalar compiled in, listed last")
    check(all(b["supported"] for b in j["backends"] if b["name"] == "scalar"),
          "scalar is supported everywhere")
    best = next(b["name"] for b in j["backends"] if b["supported"])
    check(j["active_backend"] == best and j["reason"] == "auto",
          "without SIMDMASK_BACKEND the best supported backend is active, reason auto")
    rc, out, _ = run("info", "--json", env={"SIMDMASK_BACKEND": "scalar"})
    j = json.loads(out)
    check(j["active_backend"] == "scalar" and j["reason"] == "SIMDMASK_BACKEND"
          and j["simdmask_backend_env"] == "scalar", "SIMDMASK_BACKEND=scalar is active and said so")
    rc, out, _ = run("info", env={"SIMDMASK_BACKEND": "nosuch"})
    check(rc == 0 and "(auto)" in out and "SIMDMASK_BACKEND=nosuch ignored: not compiled in" in out,
          "an unknown SIMDMASK_BACKEND falls back to auto and info says so", out)
    rc, out, _ = run("info")
    check(rc == 0 and out.startswith("simdmask " + j["version"]) and "backends" in out,
          "info prints version and backends", out)
    check(f"cpu       {topo['cpu_model']} ({topo['cpu_id']})\n" in out,
          "info prints the cpu's name and id", out)
    rc, out, _ = run("mask", "--json", "--n", "1", "--l", "4", "--ratio", "0.5",
                     env={"SIMDMASK_BACKEND": "scalar"})
    check(rc == 0 and json.loads(out)["backend"] == "scalar", "mask --json reports the backend used")
    rc, out, _ = run("--version")
    check(rc == 0 and out == f"simdmask {j['version']}\n", "--version")


def test_bench():
    rc, out, err = run("bench", "--n", "4", "--l", "16", "--d", "8", "--reps", "3", "--threads", "1")
    check(rc == 0, "bench on a small shape succeeds", err)
    lines = out.splitlines()
    check(any(ln.split()[:1] == ["scalar"] and ln.rstrip().endswith("1.00x") for ln in lines),
          "bench has a scalar row with speedup 1.00x", out)
    for b in supported_backends():
        row = [ln for ln in lines if ln.split()[:1] == [b]]
        check(len(row) == 1 and len(row[0].split()) == 5, f"bench has one timed row for {b}", out)
    check(re.search(r"; binding: omp thread 0 -> (core \d+ \(PU \d+\)|not bound \(.+\))$", out,
                    re.M), "bench reports the thread binding (or why there is none)", out)


BAD = [
    # (arguments, text the one-line message must contain)
    (["mask", "--n", "2", "--l", "8", "--ratio", "1.5"], "--ratio"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "-0.1"], "--ratio"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "nan"], "--ratio"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4x"], "--ratio"),
    (["mask", "--n", "two", "--l", "8", "--ratio", "0.4"], "--n"),
    (["mask", "--n", "-1", "--l", "8", "--ratio", "0.4"], "--n"),
    (["mask", "--n", "0", "--l", "8", "--ratio", "0.4"], "--n"),
    (["mask", "--n", "2", "--l", "1e3", "--ratio", "0.4"], "--l"),
    (["mask", "--n", "2", "--l", "8", "--ratio"], "--ratio"),
    (["mask", "--n", "--l", "8", "--ratio", "0.4"], "--n"),
    (["mask", "--l", "8", "--ratio", "0.4"], "--n"),
    (["mask", "--n", "2", "--ratio", "0.4"], "--l"),
    (["mask", "--n", "2", "--l", "8"], "--ratio"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--bogus", "1"], "--bogus"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--backend", "nosuch"], "--backend"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--backend", "nosuch"], "nosuch"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--rng", "mt"], "--rng"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--seed", "x"], "--seed"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--stream", "4294967296"], "--stream"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--threads", "-2"], "--threads"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "--json=yes"], "--json"),
    (["mask", "--n", "2", "--l", "8", "--ratio", "0.4", "extra"], "extra"),
    (["mask", "--n", "99999999999", "--l", "99999999999", "--ratio", "0.4"], "--n"),
    (["info", "--bogus"], "--bogus"),
    (["info", "--json", "x"], "'x'"),
    (["bench", "--reps", "0"], "--reps"),
    (["bench", "--d", "x"], "--d"),
    (["bench", "--ratio", "2"], "--ratio"),
    (["bench", "--rng", "mt"], "--rng"),
    (["frobnicate"], "frobnicate"),
    ([], "usage"),
]


def test_bad_args():
    for args, needle in BAD:
        rc, out, err = run(*args)
        label = " ".join(args) or "(no arguments)"
        if args:
            ok = rc == 2 and out == "" and err.count("\n") == 1 and needle in err
        else:   # no command at all: the usage text on stderr
            ok = rc == 2 and out == "" and needle in err
        check(ok, f"'{label}' exits 2 with one line naming {needle}", f"rc {rc}, stderr {err!r}")


def test_help():
    rc, out, err = run("--help")
    check(rc == 0 and all(c in out for c in ("info", "mask", "bench")), "--help lists commands")
    for cmd in ("info", "mask", "bench"):
        rc, out, err = run(cmd, "--help")
        check(rc == 0 and out.startswith(f"usage: simdmask {cmd}") and err == "",
              f"{cmd} --help prints its usage")


GROUPS = {
    "seed000": test_seed000, "torch_print": test_torch_print, "json_golden": test_json_golden,
    "json_props": test_json_props, "info": test_info, "bench": test_bench,
    "bad_args": test_bad_args, "help": test_help,
}


def main():
    try:
        GROUPS[GROUP]()
    except Exception as e:  # a crash is one more failure, with its reason
        check(False, f"{GROUP} ran to the end", repr(e))
    print(f"1..{len(results)}")
    for i, (ok, name, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok and detail:
            for ln in str(detail).splitlines()[:20]:
                print(f"# {ln}")
    return 0 if results and all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
