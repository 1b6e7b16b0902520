# Writes tests/golden/focus_masking_*.txt: MAE's random_masking with a focus
# range (seed 004's code) under PyTorch 1.13 on the CPU.
#   /usr/bin/python3 tests/gen_seeds_golden.py tests/golden
import sys
import torch

def hexf(x):
    return float(x).hex()

def tensor(f, name, t):
    dt = {torch.float32: 'f32', torch.int64: 'i64'}[t.dtype]
    f.write(f"tensor {name} {dt} {t.dim()} {' '.join(str(s) for s in t.shape)}\n")
    vals = t.reshape(-1).tolist()
    if dt == 'f32':
        vals = [hexf(v) for v in vals]
    for i in range(0, len(vals), 8):
        f.write(' '.join(str(v) for v in vals[i:i + 8]) + '\n')

def focus_case(outdir, seed, n, l, ratio, begin, end, rate):
    name = f"focus_masking_seed{seed}_{n}x{l}_r{ratio}"
    torch.manual_seed(seed)
    len_keep = int(l * (1 - ratio))
    len_mask = l - len_keep
    weights = [1 - rate] * l
    weights[begin:end] = [rate] * (end - begin)
    weights = torch.tensor(weights).repeat(n, 1)
    ids_mask = torch.multinomial(weights, len_mask, replacement=False)
    noise = torch.rand(n, l)
    for i in range(n):
        noise[i, ids_mask[i, :]] = 1.1
    ids_shuffle = torch.argsort(noise, dim=1, stable=True)
    ids_restore = torch.argsort(ids_shuffle, dim=1, stable=True)
    mask = torch.ones([n, l])
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    with open(f"{outdir}/{name}.txt", 'w') as f:
        f.write("# torch.manual_seed(seed); w = [1-rate]*L; w[begin:end] = [rate]*(end-begin);\n")
        f.write("# ids_mask = multinomial(tensor(w).repeat(N,1), L-len_keep, replacement=False);\n")
        f.write("# noise = rand(N,L); noise[i, ids_mask[i]] = 1.1; then MAE's random_masking\n")
        f.write("# (stable argsorts). ids_mask is in topk order; compare it as a set.\n")
        f.write(f"case {name}\n")
        for k, v in [('seed', seed), ('begin', begin), ('end', end), ('len_keep', len_keep)]:
            f.write(f"param {k} {v}\n")
        f.write(f"param mask_ratio {hexf(ratio)}\nparam focus_rate {hexf(rate)}\n")
        tensor(f, 'ids_mask', ids_mask)
        tensor(f, 'noise', noise)
        tensor(f, 'ids_shuffle', ids_shuffle)
        tensor(f, 'ids_restore', ids_restore)
        tensor(f, 'mask', mask)
        # the stream continues: the next torch.rand after the masking
        tensor(f, 'next_rand', torch.rand(1, 4))

out = sys.argv[1]
focus_case(out, 7, 4, 196, 0.75, 30, 90, 0.8)
focus_case(out, 2324, 3, 10, 0.9, 2, 5, 0.9)
focus_case(out, 11, 64, 196, 0.5, 0, 98, 0.3)
focus_case(out, 5, 2, 49, 0.25, 40, 49, 0.95)

def loss_case(outdir, seed, n, l, d):
    # MAE's forward_loss on given patches, with autograd's d loss / d pred and
    # the per-patch statistics, both norm_pix settings.
    name = f"mae_loss_grad_seed{seed}_{n}x{l}x{d}"
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(n, l, d, generator=g) * 2 - 0.5
    pred0 = torch.randn(n, l, d, generator=g)
    mask = (torch.rand(n, l, generator=g) < 0.75).float()
    with open(f"{outdir}/{name}.txt", 'w') as f:
        f.write("# MAE forward_loss(target, pred, mask) with and without norm_pix; grad_* is\n")
        f.write("# autograd's d loss / d pred; mean and var (unbiased) per patch of target\n")
        f.write(f"case {name}\n")
        tensor(f, 'target', target)
        tensor(f, 'pred', pred0)
        tensor(f, 'mask', mask)
        tensor(f, 'mean', target.mean(dim=-1))
        tensor(f, 'var', target.var(dim=-1))
        for norm in (0, 1):
            pred = pred0.clone().requires_grad_(True)
            t = target
            if norm:
                mean = t.mean(dim=-1, keepdim=True)
                var = t.var(dim=-1, keepdim=True)
                t = (t - mean) / (var + 1.e-6)**.5
            loss = (pred - t) ** 2
            loss = loss.mean(dim=-1)
            per_patch = loss.detach().clone()
            loss = (loss * mask).sum() / mask.sum()
            loss.backward()
            sfx = '_norm_pix' if norm else ''
            tensor(f, 'patch_loss' + sfx, per_patch)
            tensor(f, 'loss' + sfx, loss.detach().reshape(1, 1))
            tensor(f, 'grad' + sfx, pred.grad)

loss_case(out, 3, 2, 49, 48)
