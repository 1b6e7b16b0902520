"""Instructions qemu-aarch64 executes per kernel call, scalar against NEON.

A path-length measure for choosing between algorithms before an Arm core is
at hand; it says nothing about time (no caches, no pipelines, no branch
prediction under qemu). From the repository root, after .ci/aarch64.sh:

  aarch64-linux-gnu-gcc -O2 -Iinclude -Isimd cross/icount_kernels.c \\
      build-ci-aarch64/src/libsimdmask.a -fopenmp -lm -o build-ci-aarch64/icount_kernels
  python3 cross/icount.py build-ci-aarch64/icount_kernels [L ...]

Method: qemu's exec trace (-d in_asm,exec,nochain) logs every translated
block once and every execution of a block; the count is the sum of the
executed blocks' sizes, for 21 calls minus 1 call, over 20.
"""
import os
import re
import subprocess
import sys
import tempfile

KERNELS = ["philox", "mt", "argsort_noise", "argsort_f32", "inverse_perm", "mask_u8", "gather"]


def executed(args):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "trace")
        subprocess.run(["qemu-aarch64", "-L", "/", "-d", "in_asm,exec,nochain", "-D", log, *args],
                       stdout=subprocess.DEVNULL, check=True)
        size, cur, total = {}, None, 0
        with open(log) as f:
            for line in f:
                if line.startswith("IN:"):
                    cur = None
                    continue
                m = re.match(r"0x([0-9a-f]+):\s", line)
                if m:
                    if cur is None:
                        cur = int(m.group(1), 16)
                        size[cur] = 0
                    size[cur] += 1
                    continue
                cur = None
                if line.startswith("Trace"):
                    total += size[int(line.split("[")[1].split("/")[1], 16)]
        return total


def per_call(exe, backend, kernel, l):
    one = executed([exe, backend, kernel, "1", str(l)])
    many = executed([exe, backend, kernel, "21", str(l)])
    return (many - one) / 20


if __name__ == "__main__":
    exe, lengths = sys.argv[1], [int(a) for a in sys.argv[2:]] or [196]
    print(f"{'kernel':14} {'L':>6} {'scalar':>10} {'neon':>10} {'scalar/neon':>11}")
    for l in lengths:
        for k in KERNELS:
            s, n = per_call(exe, "scalar", k, l), per_call(exe, "neon", k, l)
            print(f"{k:14} {l:6} {s:10.0f} {n:10.0f} {s / n:11.2f}")
