/* simdmask mask: one call of sm_random_masking, printed as JSON or the way
 * PyTorch prints the tensors of MAE's random_masking. */
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "tool.h"

static const char usage[] =
    "usage: simdmask mask --n N --l L --ratio R [--rng philox|torch] [--seed S]\n"
    "                     [--stream K] [--backend NAME] [--threads T] [--json]\n"
    "\n"
    "MAE's random_masking of N samples of L tokens: uniform noise, its stable\n"
    "argsort ids_shuffle, the inverse ids_restore, and the mask (0 keep, 1 removed;\n"
    "len_keep = int(L * (1 - R)) tokens kept per sample).\n"
    "\n"
    "  --n N          samples (>= 1)\n"
    "  --l L          tokens per sample (>= 1)\n"
    "  --ratio R      mask ratio in [0, 1]\n"
    "  --rng NAME     philox (default) or torch (torch.manual_seed(S); torch.rand(N, L))\n"
    "  --seed S       generator seed (default 0; torch uses its low 32 bits)\n"
    "  --stream K     philox stream, e.g. the training step (default 0)\n"
    "  --backend NAME scalar, sse4, avx2, avx512, neon or auto (default: auto or\n"
    "                 SIMDMASK_BACKEND); the output is the same on every backend\n"
    "  --threads T    OpenMP threads (default 0: OpenMP's default); same output\n"
    "  --json         one JSON object: backend, rng, seed, stream, n, l, mask_ratio,\n"
    "                 len_keep, noise, ids_shuffle, ids_restore, mask (arrays as N\n"
    "                 lists of L numbers, noise with %.9g)\n"
    "\n"
    "Without --json the tensors print as PyTorch prints them after\n"
    "torch.set_printoptions(precision=3, sci_mode=False). Example: the MAE\n"
    "random_masking of torch.manual_seed(2324) on 2 x 8 tokens, ratio 0.4:\n"
    "  simdmask mask --rng torch --seed 2324 --n 2 --l 8 --ratio 0.4\n";

int sm__cmd_mask(int argc, char **argv)
{
    size_t n = 0, l = 0;
    double ratio = 0;
    uint64_t seed = 0;
    uint32_t stream = 0;
    int threads = 0, json = 0, seen_n = 0, seen_l = 0, seen_ratio = 0;
    const char *rng_name = "philox", *backend = NULL;
    const sm__opt opts[] = {
        { "n", SM__OPT_COUNT, &n, &seen_n },
        { "l", SM__OPT_COUNT, &l, &seen_l },
        { "ratio", SM__OPT_RATIO, &ratio, &seen_ratio },
        { "rng", SM__OPT_STRING, &rng_name, NULL },
        { "seed", SM__OPT_U64, &seed, NULL },
        { "stream", SM__OPT_U32, &stream, NULL },
        { "backend", SM__OPT_STRING, &backend, NULL },
        { "threads", SM__OPT_THREADS, &threads, NULL },
        { "json", SM__OPT_FLAG, &json, NULL },
    };
    int s = sm__tool_parse("mask", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (s >= 0) return s;
    if (!seen_n) return sm__tool_usage_error("mask", "--n is required (samples)");
    if (!seen_l) return sm__tool_usage_error("mask", "--l is required (tokens per sample)");
    if (!seen_ratio) return sm__tool_usage_error("mask", "--ratio is required (in [0, 1])");
    sm_rng_kind kind;
    if (strcmp(rng_name, "philox") == 0)
        kind = SM_RNG_PHILOX;
    else if (strcmp(rng_name, "torch") == 0)
        kind = SM_RNG_TORCH;
    else
        return sm__tool_usage_error("mask", "--rng: unknown generator '%s' (philox or torch)",
                                    rng_name);
    if (backend && (s = sm__tool_backend("mask", backend)) >= 0) return s;
    sm_set_num_threads(threads);

    size_t nl;
    if (__builtin_mul_overflow(n, l, &nl) || nl > SIZE_MAX / 8)
        return sm__tool_usage_error("mask", "--n %zu x --l %zu is too large", n, l);
    float *noise = sm__tool_alloc(nl, sizeof(float));
    float *mask = sm__tool_alloc(nl, sizeof(float));
    int64_t *shuffle = sm__tool_alloc(nl, sizeof(int64_t));
    int64_t *restore = sm__tool_alloc(nl, sizeof(int64_t));
    int status = SM__EXIT_OK;
    if (!noise || !mask || !shuffle || !restore) {
        status = sm__tool_fail("mask", "out of memory for %zu x %zu tokens", n, l);
        goto done;
    }
    sm_rng rng;
    sm_rng_init(&rng, kind, seed, stream);
    sm_masking m = {
        .n = n, .l = l, .mask_ratio = ratio, .rng = &rng,
        .noise = noise, .ids_shuffle = shuffle, .ids_restore = restore, .mask = mask,
    };
    sm_status st = sm_random_masking(&m);
    if (st != SM_OK) {
        status = sm__tool_fail("mask", "%s: %s", sm_strerror(st), sm_last_error());
        goto done;
    }

    if (json) {
        printf("{\"backend\": ");
        sm__tool_json_string(stdout, sm_backend_active());
        printf(", \"rng\": \"%s\", \"seed\": %llu, \"stream\": %u, \"n\": %zu, \"l\": %zu"
               ", \"mask_ratio\": ",
               rng_name, (unsigned long long)seed, (unsigned)stream, n, l);
        sm__tool_json_double(stdout, ratio);
        printf(", \"len_keep\": %zu, \"noise\": ", m.len_keep);
        sm__tool_json_f32(stdout, noise, n, l);
        printf(", \"ids_shuffle\": ");
        sm__tool_json_i64(stdout, shuffle, n, l);
        printf(", \"ids_restore\": ");
        sm__tool_json_i64(stdout, restore, n, l);
        printf(", \"mask\": ");
        sm__tool_json_f32(stdout, mask, n, l);
        printf("}\n");
    } else {
        /* The order of MAE's code (noise, ids_shuffle) then what seed 000's
         * script prints of random_masking's results (mask, ids_restore). */
        const size_t shape[2] = { n, l };
        printf("noise=\n");
        sm__tool_print_torch_f32(stdout, noise, 2, shape, 3);
        printf("ids_shuffle=\n");
        sm__tool_print_torch_i64(stdout, shuffle, 2, shape);
        printf("mask=\n");
        sm__tool_print_torch_f32(stdout, mask, 2, shape, 3);
        printf("ids_restore=\n");
        sm__tool_print_torch_i64(stdout, restore, 2, shape);
    }
    if (fflush(stdout) != 0) status = sm__tool_fail("mask", "cannot write the output");
done:
    free(noise), free(mask), free(shuffle), free(restore);
    return status;
}
