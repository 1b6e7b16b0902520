/* The example of README.md: MAE's random_masking of one batch, then the
 * decoder's restore. Build: cc example.c $(pkg-config --cflags --libs simdmask) */
#include <stdio.h>
#include <stdlib.h>
#include <simdmask.h>

enum { N = 2, L = 8, D = 10 };

int main(void)
{
    /* x_masked has room for len_keep <= L rows per sample. */
    static float x[N][L][D], x_masked[N][L][D], restored[N][L][D], mask[N][L], token[D];
    static int64_t ids_restore[N][L];
    for (int i = 0; i < N * L * D; i++) (&x[0][0][0])[i] = (float)i;

    /* torch.manual_seed(2324) */
    sm_rng rng;
    sm_rng_init(&rng, SM_RNG_TORCH, 2324, 0);

    sm_masking m = {
        .n = N, .l = L, .mask_ratio = 0.4,
        .rng = &rng,
        .x = x, .row_bytes = sizeof x[0][0],
        .x_masked = x_masked, .mask = mask, .ids_restore = ids_restore,
    };
    sm_status st = sm_random_masking(&m);
    if (st != SM_OK) {
        fprintf(stderr, "masking: %s: %s\n", sm_strerror(st), sm_last_error());
        return 1;
    }
    printf("backend %s, len_keep %zu\n", sm_backend_active(), m.len_keep);
    for (int n = 0; n < N; n++) {
        for (int l = 0; l < L; l++) printf("%g%s", mask[n][l], l + 1 < L ? " " : "\n");
    }

    /* Decoder side: kept tokens back in place, mask token elsewhere. */
    st = sm_unshuffle(x_masked, token, ids_restore, SM_INDEX_I64, N, L, m.len_keep,
                      sizeof x[0][0], restored);
    if (st != SM_OK) {
        fprintf(stderr, "unshuffle: %s\n", sm_last_error());
        return 1;
    }
    return 0;
}
