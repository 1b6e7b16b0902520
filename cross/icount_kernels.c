/* Calls one kernel of one backend `reps` times, for cross/icount.py, which
 * counts the aarch64 instructions qemu executes. Not a timing program.
 *   icount_kernels BACKEND KERNEL REPS L
 * BACKEND: scalar | neon; KERNEL: philox mt argsort_noise argsort_f32
 * inverse_perm mask_u8 gather (L/4 rows of 3 KiB, a ViT-B token). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "kernels.h"

static uint64_t rs = 88172645463325252ull;
static uint32_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)rs;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: icount_kernels BACKEND KERNEL REPS L\n");
        return 2;
    }
    const struct sm_kernels *k = strcmp(argv[1], "neon") == 0 ? &sm__kernels_neon : &sm__kernels_scalar;
    const char *kern = argv[2];
    int reps = atoi(argv[3]);
    size_t l = (size_t)atol(argv[4]), row = 768 * 4;
    float *x = malloc(l * 4), *y = malloc(l * 4);
    uint32_t *idx = malloc(l * 4), *perm = malloc(l * 4), mt[SM_MT_N], mti = SM_MT_N;
    void *scratch = aligned_alloc(64, (SM__ARGSORT_SCRATCH(l) + 63) / 64 * 64);
    char *src = malloc(l * row), *out = malloc(l * row);
    if (!x || !y || !idx || !perm || !scratch || !src || !out) return 1;
    for (size_t i = 0; i < l; i++) x[i] = (float)(rnd() & 0xFFFFFF) * (1.0f / 16777216.0f);
    for (size_t i = 0; i < l; i++) y[i] = (float)(int32_t)rnd();
    for (size_t i = 0; i < l; i++) perm[i] = (uint32_t)(l - 1 - i);
    for (int i = 0; i < SM_MT_N; i++) mt[i] = rnd();
    memset(src, 1, l * row);
    for (int r = 0; r < reps; r++) {
        if (!strcmp(kern, "argsort_noise")) k->argsort_noise(x, l, idx, scratch);
        else if (!strcmp(kern, "argsort_f32")) k->argsort_f32(y, l, 0, idx, scratch);
        else if (!strcmp(kern, "philox")) k->philox_rows(1, 2, 3, 1, l, y);
        else if (!strcmp(kern, "mt")) k->mt_uniform(mt, &mti, y, l);
        else if (!strcmp(kern, "inverse_perm")) k->inverse_perm(perm, l, idx);
        else if (!strcmp(kern, "mask_u8")) k->mask_u8(perm, l, (uint32_t)l / 4, (uint8_t *)out);
        else if (!strcmp(kern, "gather")) k->gather_rows_u32(src, row, perm, l / 4, out);
        else return 2;
    }
    printf("%u %u %g\n", idx[0], (unsigned)out[0], (double)y[0]);
    return 0;
}
