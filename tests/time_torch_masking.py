"""MAE's random_masking (models_mae.py) in PyTorch at ViT-B shape, for the
x86 timing program's masking-step comparison.
Usage: /usr/bin/python3 tests/time_torch_masking.py THREADS"""
import sys
import time

import torch


def random_masking(x, mask_ratio):
    N, L, D = x.shape
    len_keep = int(L * (1 - mask_ratio))
    noise = torch.rand(N, L, device=x.device)
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :len_keep]
    x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
    mask = torch.ones([N, L], device=x.device)
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    return x_masked, mask, ids_restore


threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.ones(256, 196, 768)
best = 1e30
for _ in range(20):
    t0 = time.perf_counter()
    random_masking(x, 0.75)
    best = min(best, time.perf_counter() - t0)
print(f"torch/mask_step/threads:{threads} {best * 1e3:.3f} ms (torch {torch.__version__})")
