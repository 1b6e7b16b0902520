"""simdmask softmax and simdmask posembed against the golden vectors, as TAP.

usage: test_seeds_cli.py SIMDMASK GOLDEN_DIR

References: tests/golden/masked_softmax_seed333512.txt (PyTorch 1.13) and
pos_embed_2d_sincos_d16_g4.txt (MAE's numpy code). Standard library only.
Tolerances as in tests/test_seeds.c: softmax within 8 ulp (checked here as
1e-6 relative, values <= 1), position embeddings within 1e-15.
"""
import json
import math
import os
import shlex
import subprocess
import sys

TOOL, GOLDEN = sys.argv[1], sys.argv[2]
# A cross build runs the tool through the cross file's exe_wrapper (qemu).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))


def run(*args):
    e = {k: v for k, v in os.environ.items() if k != "SIMDMASK_BACKEND"}
    p = subprocess.run([*WRAPPER, TOOL, *args], capture_output=True, text=True, env=e, timeout=60)
    return p.returncode, p.stdout, p.stderr


def golden(name):
    params, tensors = {}, {}
    with open(os.path.join(GOLDEN, name)) as f:
        words = [ln.split() for ln in f.read().splitlines() if ln and not ln.startswith("#")]
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if w[0] == "param":
            params[w[1]] = w[2]
        elif w[0] == "tensor":
            shape = [int(d) for d in w[4:4 + int(w[3])]]
            count = math.prod(shape)
            vals = []
            while len(vals) < count:
                vals += words[i]
                i += 1
            conv = float.fromhex if w[2] in ("f32", "f64") else int
            tensors[w[1]] = (shape, [conv(v) for v in vals])
    return params, tensors


# softmax: seed 002's call with PyTorch's scores (hex floats print exactly)
params, t = golden("masked_softmax_seed333512.txt")
(r, c), scores = t["scores"]
mask = t["col_mask"][1]
want = t["softmax"][1]
rows = ";".join(",".join(float.hex(v) for v in scores[i * c:(i + 1) * c]) for i in range(r))
rc, out, err = run("softmax", "--scores", rows, "--mask", ",".join(map(str, mask)), "--json")
check(rc == 0, "softmax --json exits 0", err)
if rc == 0:
    j = json.loads(out)
    got = [v for row in j["softmax"] for v in row]
    check(j["rows"] == r and j["cols"] == c and j["mask_rows"] == 1, "softmax shape fields")
    check(j["fill"] == -1e9, "softmax default fill is -1e9", str(j["fill"]))
    bad = [i for i, (a, b) in enumerate(zip(got, want)) if abs(a - b) > 1e-6 * abs(b) + 1e-45]
    check(len(got) == len(want) and not bad, "softmax matches PyTorch", str(bad[:5]))
rc, out, err = run("softmax", "--scores", "1,2;3,4", "--mask", "1,1", "--fill", "-inf", "--json")
check(rc == 0 and json.loads(out)["softmax"] == [[None, None], [None, None]],
      "fully masked rows with -inf are NaN (null)", out)
rc, out, err = run("softmax", "--scores", "1,2;3,4", "--mask", "1,1")
check(rc == 0 and "0.500, 0.500" in out, "fully masked rows with -1e9 are 1/C", out)
rc, out, err = run("softmax", "--scores", "1,2;3")
check(rc == 2 and "row 1" in err, "ragged --scores is a usage error", err)
rc, out, err = run("softmax", "--scores", "1,2", "--mask", "1,0,1")
check(rc == 2 and "--mask" in err, "mask width must match", err)

# posembed: MAE's get_2d_sincos_pos_embed(16, 4, cls_token=True)
params, t = golden("pos_embed_2d_sincos_d16_g4.txt")
shape, want = t["pos_embed"]
rc, out, err = run("posembed", "--dim", params["embed_dim"], "--grid", params["grid_size"],
                   "--cls", "--json")
check(rc == 0, "posembed --json exits 0", err)
if rc == 0:
    j = json.loads(out)
    got = [v for row in j["pos_embed"] for v in row]
    check([len(j["pos_embed"]), len(j["pos_embed"][0])] == shape, "posembed shape")
    worst = max(abs(a - b) for a, b in zip(got, want))
    check(len(got) == len(want) and worst <= 1e-15, "posembed matches numpy", str(worst))
rc, out, err = run("posembed", "--dim", "6", "--grid", "2")
check(rc == 1 and "multiple of 4" in err, "posembed dim 6 is refused", err)
rc, out, err = run("posembed", "--dim", "8")
check(rc == 2, "posembed needs --grid or --positions", err)

print(f"1..{len(results)}")
for i, (ok, name, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok and detail:
        for line in detail.splitlines()[:5]:
            print(f"# {line}")
