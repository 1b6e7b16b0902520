#!/usr/bin/env python3
"""Writes the hand-made seeds of the fuzz corpora (tests/fuzz/corpus/<harness>/seed-*):
inputs that reach the paths a mutating fuzzer finds slowly (L = 70,000, the
radix and insertion cut-overs, every fault, the multi-threaded row loop, the
torch stream part-way through a twist, the expand pattern of sm_gather).
The layouts are those documented at the top of each fuzz_<harness>.c.
The rest of each corpus is what libFuzzer's -merge=1 kept from fuzzing runs."""
import os
import struct
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(harness, name, data):
    d = os.path.join(root, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(bytes(data))


def u(v, n):
    return list((v & ((1 << (8 * n)) - 1)).to_bytes(n, "little"))


# ---- argsort: [fault][flags][n_rows][size class][l: 3] pool
def argsort(fault, order, i32, mode, n_rows, l, pool):
    cls = 0 if l <= 64 else 1 if l <= 4096 else 2
    flags = order | (i32 << 1) | (mode << 2)
    return [fault, flags, (n_rows - 1), cls] + u(l - 1, 3) + list(pool)


raw = list(struct.pack("<8f", 0.5, -0.0, 0.0, float("inf"), -1e-45, 3.0, 0.5, float("-inf")))
raw += [0x00, 0x00, 0xC0, 0x7F, 0x01, 0x00, 0x80, 0xFF]  # NaN, negative NaN with payload
for l in (1, 2, 32, 33, 196, 256, 257, 4096, 70000):
    for mode in range(4):
        put("argsort", f"l{l}-mode{mode}", argsort(0, l % 2, (l // 2) % 2, mode, 1 if l > 4096 else 3, l, raw))
for order in (0, 1):
    for i32 in (0, 1):
        put("argsort", f"l70000-order{order}-i{32 if i32 else 64}", argsort(0, order, i32, 2, 1, 70000, raw))
for f in range(13):
    put("argsort", f"fault{f}", argsort(224 + f, 0, f % 2, 0, 2, 100 + f, raw))


# ---- masking: [fault][flags][outputs][n][l: 2][row_bytes][ratio mode][ratio: 8]
#               [seed: 8][stream: 4][row: 8][threads][torch pre-draw: 2] pool
def masking(fault, source, i32, u8, outs, n, l, rb, ratio, seed, stream, row, threads, predraw,
            pool, raw_ratio=None, mis=0, lraw=None):
    flags = i32 | (u8 << 1) | (source << 2) | (mis << 4)
    if raw_ratio is None:
        mode, bits = 0, round(ratio * 65535)
    else:
        mode, bits = 255, struct.unpack("<Q", struct.pack("<d", raw_ratio))[0]
    return ([fault, flags, outs, n - 1] + u(l - 1 if lraw is None else lraw, 2) + [rb - 1, mode] + u(bits, 8) + u(seed, 8) +
            u(stream, 4) + u(row, 8) + [threads - 1] + u(predraw, 2) + list(pool))


put("masking", "mae-philox-4x196", masking(0, 0, 0, 0, 0x3F, 4, 196, 12, 0.75, 42, 7, 0, 1, 0, raw))
put("masking", "mae-torch-2x8", masking(0, 1, 0, 0, 0x3F, 2, 8, 40, 0.4, 2324, 0, 0, 1, 0, raw))
put("masking", "torch-mid-stream", masking(0, 1, 1, 1, 0x3F, 3, 500, 3, 0.9, 5, 0, 0, 2, 700, raw, mis=3))
put("masking", "threads-8x2048", masking(0, 0, 0, 1, 0x3F, 8, 2048, 1, 0.75, 1 << 40, 9, 2**64 - 3, 4, 0, raw))
# L = 5000 (raw 59500: 4000 + 59500 % 4500), past the SIMD radix cut-over at 4096
put("masking", "radix-philox-5000", masking(0, 0, 0, 0, 0x3F, 2, 0, 4, 0.75, 8, 1, 0, 2, 0, raw, lraw=59500))
put("masking", "radix-torch-5000", masking(0, 1, 1, 1, 0x3F, 2, 0, 1, 0.5, 8, 0, 0, 1, 300, raw, lraw=59500))
put("masking", "noise-in-bits", masking(0, 2, 0, 0, 0x3F, 3, 300, 5, 0.5, 0, 0, 0, 2, 0, raw))
put("masking", "noise-in-ties", masking(0, 3, 1, 0, 0x3F, 5, 1000, 7, 0.3, 0, 0, 0, 3, 0, raw))
put("masking", "subset-outputs", masking(0, 0, 1, 1, 0x22, 2, 49, 64, 0.5, 3, 0, 0, 1, 0, raw))
put("masking", "keep-none", masking(0, 0, 0, 0, 0x3F, 3, 10, 2, 0.9, 7, 0, 0, 1, 0, raw))
put("masking", "keep-all", masking(0, 1, 0, 0, 0x3F, 2, 49, 4, 0.0, 9, 0, 0, 1, 0, raw))
for name, r in (("nan", float("nan")), ("neg-zero", -0.0), ("above-1", 1.0000000000000002),
                ("neg", -1e-300), ("inf", float("inf")), ("one", 1.0), ("denormal", 5e-324)):
    put("masking", "ratio-" + name, masking(0, 0, 0, 0, 0x3F, 2, 16, 4, 0, 1, 0, 0, 1, 0, raw, raw_ratio=r))
for f in range(20):
    put("masking", f"fault{f}", masking(208 + f, f % 3, f % 2, 0, 0x3F, 2, 33, 5, 0.5, 11 + f, 0, 0, 1, 0, raw))


# ---- gather_rows: [fault][flags][n][l: 2][row_bytes: 2][k: 2][oob rate] pool
def rows(fault, i32, mis_src, mis_out, n, l, rb, k, oob, pool):
    return ([fault, i32 | (mis_src << 1) | (mis_out << 4), n - 1] + u(l - 1, 2) + u(rb - 1, 2) + u(k, 2) +
            [oob] + list(pool))


for rb in (1, 3, 8, 12, 64, 768):
    put("gather_rows", f"rb{rb}", rows(0, rb % 2, rb % 8, (rb + 3) % 8, 4, 196, rb, 49, 0, raw))
put("gather_rows", "k-zero", rows(0, 0, 0, 0, 2, 10, 4, 0, 0, raw))
put("gather_rows", "k-above-l", rows(0, 1, 1, 2, 2, 10, 4, 25, 0, raw))
put("gather_rows", "oob-i64", rows(0, 0, 0, 0, 3, 50, 16, 20, 255, raw))
put("gather_rows", "oob-i32", rows(0, 1, 0, 0, 3, 50, 16, 20, 255, raw))
for f in range(13):
    put("gather_rows", f"fault{f}", rows(224 + f, f % 2, 0, 0, 3, 20, 8, 10, 0, raw))


# ---- unshuffle: [fault][flags][n][l: 2][len_keep: 2][row_bytes: 2][oob rate] pool
def unsh(fault, i32, perm, kept_null, mis, n, l, keep, rb, oob, pool):
    flags = i32 | ((0 if perm else 1) << 1) | (kept_null << 2) | (mis << 3)
    return [fault, flags, n - 1] + u(l - 1, 2) + u(keep, 2) + u(rb - 1, 2) + [oob] + list(pool)


put("unshuffle", "mae-4x196", unsh(0, 0, 1, 0, 0, 4, 196, 49, 768, 0, raw))
put("unshuffle", "i32-odd-rows", unsh(0, 1, 1, 0, 5, 3, 100, 30, 3, 0, raw))
put("unshuffle", "keep-zero-null", unsh(0, 0, 1, 1, 0, 2, 10, 0, 4, 0, raw))
put("unshuffle", "keep-all", unsh(0, 1, 1, 0, 1, 2, 64, 64, 2, 0, raw))
put("unshuffle", "not-permutation", unsh(0, 0, 0, 0, 2, 2, 64, 20, 5, 0, raw))
put("unshuffle", "oob", unsh(0, 0, 0, 0, 0, 2, 64, 20, 5, 255, raw))
for f in range(15):
    put("unshuffle", f"fault{f}", unsh(224 + f, f % 2, 1, 0, 0, 2, 20, 5, 6, 0, raw))


# ---- gather: [fault][nd][elem][dim][flags][misalign] per dim [in size][index size]
#              [in stride][index stride], [oob rate], pool
def gather(fault, nd, esel, dsel, flags, mis, dims, oob, pool):
    b = [fault, nd - 1, esel, dsel, flags, mis]
    for d in dims:
        b += list(d)
    return b + [oob] + list(pool)


put("gather", "mae-expand", gather(0, 3, 2, 1, 0x30, 0, [(4, 4, 0, 0), (24, 2, 0, 0), (6, 6, 0, 0)], 0, raw))
put("gather", "mae-expand-dim-2", gather(0, 3, 3, 0, 0x30, 9, [(2, 2, 0, 0), (10, 7, 0, 0), (5, 5, 0, 0)], 0, raw))
put("gather", "2x2-dim1", gather(0, 2, 3, 1, 0, 0, [(2, 2, 0, 0), (2, 2, 0, 0)], 0, raw))
put("gather", "4d-dim2-strided", gather(0, 4, 2, 2, 0x0B, 3, [(3, 2, 1, 4), (4, 3, 2, 0), (5, 6, 3, 1), (2, 2, 0, 5)], 0, raw))
put("gather", "8d-stride0", gather(0, 8, 0, 0x45, 0x0A, 0, [(3, 2, 0, 0)] * 8, 0, raw))
put("gather", "index-broadcast", gather(0, 2, 1, 0, 0x08, 0, [(5, 7, 1, 0), (4, 3, 1, 0)], 0, raw))
put("gather", "empty-index", gather(0, 2, 1, 0, 0, 0, [(5, 0, 1, 0), (4, 3, 1, 0)], 0, raw))
put("gather", "empty-input-dim", gather(0, 2, 2, 1, 0, 0, [(3, 2, 0, 0), (0, 3, 0, 0)], 0, raw))
put("gather", "oob", gather(0, 3, 2, 2, 0, 0, [(2, 2, 0, 0), (3, 3, 0, 0), (4, 4, 0, 0)], 255, raw))
put("gather", "bad-elem", gather(0, 2, 0xF9, 0, 0, 0, [(2, 2, 0, 0), (2, 2, 0, 0)], 0, raw))
put("gather", "bad-dim", gather(0, 2, 2, 0xF1, 0, 0, [(2, 2, 0, 0), (2, 2, 0, 0)], 0, raw))
put("gather", "index-too-big", gather(0, 2, 2, 0, 0x10, 0, [(2, 2, 0, 0), (2, 2, 0, 0)], 0, raw))
for f in range(14):
    put("gather", f"fault{f}", gather(208 + f, 3, 2, 1, 0x05, 0, [(3, 2, 0, 0), (4, 3, 0, 0), (2, 2, 0, 0)], 0, raw))
print("seeds written under", root, file=sys.stderr)
