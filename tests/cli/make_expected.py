"""Writes torch_print.txt: PyTorch's own print of MAE's random_masking tensors
for the cases below, the reference test_cli.py compares `simdmask mask` with.

Run with a Python that has torch (Debian's /usr/bin/python3 with
python3-torch): /usr/bin/python3 tests/cli/make_expected.py
The test itself needs only the standard library.
"""
import os
import sys

import torch

# (seed, n, l, ratio): each exercises a rule of torch/_tensor_str.py.
CASES = [
    (2324, 2, 8, 0.4),     # seed 000: the MAE snippet
    (1, 3, 30, 0.75),      # rows wrapped at 80 columns (10 items of width 5 a line)
    (0, 10, 100, 0.75),    # 1000 elements, not summarised; a noise value < 1e-4 widens columns
    (7, 40, 50, 0.5),      # 2000 elements: summarised with "..." rows and items
    (5, 1, 1, 0.0),        # one token kept: a mask of zeros only
    (9, 2, 49, 1.0),       # every token removed: a mask of ones only
    (11, 1, 1200, 0.9),    # one long row: summarised vector
]


def masking(seed, n, l, ratio):
    torch.manual_seed(seed)
    len_keep = int(l * (1 - ratio))
    noise = torch.rand(n, l)
    ids_shuffle = torch.sort(noise, dim=1, stable=True).indices
    ids_restore = torch.sort(ids_shuffle, dim=1, stable=True).indices
    mask = torch.ones([n, l])
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    return noise, ids_shuffle, mask, ids_restore


def main():
    torch.set_printoptions(precision=3, sci_mode=False)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_print.txt")
    with open(out, "w") as f:
        f.write(f"# written by make_expected.py with torch {torch.__version__}\n")
        for seed, n, l, ratio in CASES:
            noise, ids_shuffle, mask, ids_restore = masking(seed, n, l, ratio)
            f.write(f"=== --rng torch --seed {seed} --n {n} --l {l} --ratio {ratio}\n")
            f.write(f"noise=\n{noise}\nids_shuffle=\n{ids_shuffle}\n")
            f.write(f"mask=\n{mask}\nids_restore=\n{ids_restore}\n")
    print("wrote", out, file=sys.stderr)


if __name__ == "__main__":
    main()
