/*
 * The x86 and NEON argsort kernels (simd/<isa>/argsort.c) against the scalar kernels,
 * bit for bit, called directly for every ISA compiled in and run by this CPU:
 * lengths around every cut-over of the networks, merges and radix passes,
 * keys with many ties, NaN payloads of both signs, +-0, +-inf, denormals,
 * sorted / reversed / constant rows, both orders. The kernels must also stay
 * inside the scratch that SM__ARGSORT_SCRATCH promises and inside idx[0, l).
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "kernels.h"

typedef void (*noise_fn)(const float *, size_t, uint32_t *, void *);
typedef void (*f32_fn)(const float *, size_t, int, uint32_t *, void *);
/* One row by a chosen path (simd/common/argsort_tmpl.h: SA(argsort_path)). */
typedef void (*path_fn)(const float *, size_t, int, int, int, uint32_t *, void *);

static const struct isa {
    const char *name;
    uint32_t required;
    noise_fn noise;
    f32_fn f32;
    path_fn path; /* NULL where the ISA has no path selector (NEON) */
} isas[] = {
#ifdef SM_HAVE_ARGSORT_SSE4
    { "sse4", SM_CPU_SSE41 | SM_CPU_SSE42 | SM_CPU_POPCNT, sm__sse4_argsort_noise,
      sm__sse4_argsort_f32, sm__sse4_argsort_path },
#endif
#ifdef SM_HAVE_ARGSORT_AVX2
    { "avx2", SM_CPU_AVX2 | SM_CPU_FMA | SM_CPU_BMI2, sm__avx2_argsort_noise, sm__avx2_argsort_f32,
      sm__avx2_argsort_path },
#endif
#ifdef SM_HAVE_ARGSORT_AVX512
    { "avx512", SM_CPU_AVX512F | SM_CPU_AVX512BW | SM_CPU_AVX512VL | SM_CPU_AVX512DQ,
      sm__avx512_argsort_noise, sm__avx512_argsort_f32, sm__avx512_argsort_path },
#endif
#ifdef SM_HAVE_ARGSORT_NEON
    { "neon", SM_CPU_NEON, sm__neon_argsort_noise, sm__neon_argsort_f32, NULL },
#endif
    { NULL, 0, NULL, NULL, NULL },
};
#define N_ISAS (sizeof isas / sizeof isas[0] - 1)

/* Lengths next to every power of two the networks, blocks, merges and radix
 * cut-overs use, plus MAE's 49, 196, 576, 1568. */
static const size_t lengths[] = {
    41, 47, 48, 49, 50, 63, 64, 65, 95, 96, 97, 127, 128, 129, 191, 192, 193, 195, 196, 197,
    255, 256, 257, 383, 384, 385, 511, 512, 513, 575, 576, 577, 767, 768, 769, 1023, 1024, 1025,
    1279, 1280, 1281, 1567, 1568, 1569, 2047, 2048, 2049, 3071, 3072, 3073, 4095, 4096, 4097,
    6143, 6144, 6145, 8191, 8192, 8193, 16383, 16384, 16385, 32767, 32768, 32769, 65535, 65536,
    70000, 131071, 131072, 131073,
};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])

/* ------------------------------------------------------------------- data */

static uint64_t rng_state;
static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* PAT_LOWBITS: floats that differ only in their last 8 bits, in few groups,
 * and one infinity (so that the row's span is wide and the groups are runs
 * that the packed float path must repair, short and long, up to l - 1); noise
 * keys in runs of three consecutive indices that share all but their low 6
 * bits, those falling within the run (the runs the packed noise path must
 * repair, whose packing drops up to 6 low bits). */
enum { PAT_RANDOM, PAT_FEW, PAT_SORTED, PAT_REVERSED, PAT_EQUAL, PAT_SAWTOOTH, PAT_LOWBITS,
       N_PATTERNS };

/* Noise row: k * 2^-24, k < 2^24, in one of the patterns. */
static void fill_noise(float *x, size_t l, int pattern)
{
    /* Constant rows: half of them at the largest key, so that a packed
     * (key bits, index) value reaches all ones. */
    uint32_t few = 1 + (uint32_t)(rnd() % 7), base = rnd() % 2 ? 0xFFFFFFu : (uint32_t)(rnd() >> 40);
    uint32_t top = 0;
    for (size_t i = 0; i < l; i++) {
        uint32_t k;
        if (i % 3 == 0) top = (uint32_t)(rnd() >> 40) & ~0x3Fu;
        switch (pattern) {
        case PAT_LOWBITS: k = top | (63u - (uint32_t)(i % 3) * 21u); break;
        case PAT_FEW: k = (uint32_t)(rnd() % few) * 0x2AAAAAu; break;
        case PAT_SORTED: k = (uint32_t)(((uint64_t)i << 24) / l); break;
        case PAT_REVERSED: k = 0xFFFFFFu - (uint32_t)(((uint64_t)i << 24) / l); break;
        case PAT_EQUAL: k = base; break;
        case PAT_SAWTOOTH: k = (uint32_t)(i % 37) * 1000u; break;
        default: k = (uint32_t)(rnd() >> 40); break;
        }
        x[i] = (float)k * (1.0f / 16777216.0f);
    }
}

/* The values every float sort must place: NaNs with several payloads and
 * both signs, both zeros, both infinities, denormals, extremes. */
static const uint32_t specials[] = {
    0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFF800001u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0x7FA12345u,
    0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x00000001u, 0x80000001u, 0x007FFFFFu,
    0x807FFFFFu, 0x00400000u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x3F800000u, 0xBF800000u,
};
#define N_SPECIALS (sizeof specials / sizeof specials[0])

static void fill_f32(float *x, size_t l, int pattern)
{
    int kind = (int)(rnd() % 4);
    uint32_t groups = 1 + (uint32_t)(rnd() % 16), seed = (uint32_t)rnd();
    for (size_t i = 0; i < l; i++) {
        float f;
        switch (pattern) {
        case PAT_LOWBITS: {
            /* Groups: denormals, both signs, ordinary values. */
            uint32_t g = (uint32_t)(rnd() % groups) * 0x01234500u + (seed & 0x80000000u);
            f = from_bits((kind == 0 ? (g & 0x80000000u) : g + 0x3F000000u) | (uint32_t)(rnd() & 0xFF));
            if (i == l / 2) f = seed & 1 ? INFINITY : -INFINITY;
            break;
        }
        case PAT_FEW: f = from_bits(specials[rnd() % 5 + (kind == 0 ? 0 : 7)]); break;
        case PAT_SORTED: f = (float)i - (float)l / 2; break;
        case PAT_REVERSED: f = (float)l / 2 - (float)i; break;
        case PAT_EQUAL: f = kind == 0 ? NAN : kind == 1 ? -0.0f : 1.5f; break;
        case PAT_SAWTOOTH: f = (float)(i % 37) - 18.0f; break;
        default:
            /* Random bit patterns (every class of float), specials, and
             * ordinary values with ties. */
            switch (rnd() % 4) {
            case 0: f = from_bits((uint32_t)rnd()); break;
            case 1: f = from_bits(specials[rnd() % N_SPECIALS]); break;
            case 2: f = (float)(int)(rnd() % 64) - 32.0f; break;
            default: f = (float)(rnd() >> 40) * (1.0f / 16777216.0f); break;
            }
            break;
        }
        x[i] = f;
    }
}

/* --------------------------------------------------------------- checking */

#define GUARD 256
#define CANARY 0xA5u

struct bufs {
    float *keys;
    uint32_t *want, *got;
    unsigned char *scratch;
    size_t cap;
};

static struct bufs alloc_bufs(size_t cap)
{
    struct bufs b = { 0 };
    b.cap = cap;
    b.keys = malloc(cap * sizeof *b.keys);
    b.want = malloc(cap * sizeof *b.want);
    b.got = malloc((cap + GUARD) * sizeof *b.got);
    b.scratch = aligned_alloc(64, (SM__ARGSORT_SCRATCH(cap) + GUARD + 63) / 64 * 64);
    ck_assert(b.keys && b.want && b.got && b.scratch);
    return b;
}

static void free_bufs(struct bufs *b)
{
    free(b->keys), free(b->want), free(b->got), free(b->scratch);
}

/* Runs one kernel (path < 0: the ISA's own choice of path, else that path)
 * with canaries after idx[l) and after the scratch. */
static void run_checked(const struct isa *isa, struct bufs *b, size_t l, int f32, int desc,
                        int path)
{
    unsigned char *s_end = b->scratch + SM__ARGSORT_SCRATCH(l);
    memset(s_end, CANARY, GUARD);
    memset(b->got, CANARY, (l + GUARD) * sizeof *b->got);
    if (path >= 0) isa->path(b->keys, l, f32, desc, path, b->got, b->scratch);
    else if (f32) isa->f32(b->keys, l, desc, b->got, b->scratch);
    else isa->noise(b->keys, l, b->got, b->scratch);
    /* Plain compares, one assertion: every passing ck_assert is a write to
     * Check's pipe (11.7 million writes, 39 of the suite's 40 s, when each
     * byte was asserted). */
    int scratch_ok = 1, idx_ok = 1;
    for (size_t i = 0; i < GUARD; i++) {
        scratch_ok &= s_end[i] == CANARY;
        idx_ok &= ((unsigned char *)(b->got + l))[i] == CANARY;
    }
    if (!scratch_ok || !idx_ok)
        ck_abort_msg("%s: l=%zu wrote past the %s", isa->name, l, scratch_ok ? "idx" : "scratch");
}

static void compare_path(const struct isa *isa, struct bufs *b, size_t l, int f32, int desc,
                         int pattern, int path)
{
    if (f32) sm__scalar_argsort_f32(b->keys, l, desc, b->want, b->scratch);
    else sm__scalar_argsort_noise(b->keys, l, b->want, b->scratch);
    run_checked(isa, b, l, f32, desc, path);
    if (memcmp(b->want, b->got, l * sizeof *b->got) != 0) {
        size_t i = 0;
        while (b->want[i] == b->got[i]) i++;
        ck_abort_msg("%s %s%s path %d l=%zu pattern %d: idx[%zu] = %u, scalar %u", isa->name,
                     f32 ? "f32" : "noise", f32 ? (desc ? " desc" : " asc") : "", path, l,
                     pattern, i, b->got[i], b->want[i]);
    }
}

static void compare(const struct isa *isa, struct bufs *b, size_t l, int f32, int desc,
                    int pattern)
{
    compare_path(isa, b, l, f32, desc, pattern, -1);
}

static int skip(const struct isa *isa)
{
    if ((sm_cpu_features() & isa->required) == isa->required) return 0;
    printf("%s: not supported by this CPU, skipped\n", isa->name);
    return 1;
}

/* ------------------------------------------------------------------ tests */

/* Every length 1 .. 40 and every listed length, every pattern. */
START_TEST(noise_lengths)
{
    const struct isa *isa = &isas[_i];
    if (skip(isa)) return;
    struct bufs b = alloc_bufs(131073);
    rng_state = 1;
    for (size_t l = 1; l <= 40; l++)
        for (int p = 0; p < N_PATTERNS; p++)
            for (int rep = 0; rep < 16; rep++) {
                fill_noise(b.keys, l, p);
                compare(isa, &b, l, 0, 0, p);
            }
    for (size_t j = 0; j < N_LENGTHS; j++)
        for (int p = 0; p < N_PATTERNS; p++)
            for (int rep = 0; rep < 3; rep++) {
                size_t l = lengths[j];
                fill_noise(b.keys, l, p);
                compare(isa, &b, l, 0, 0, p);
            }
    free_bufs(&b);
}
END_TEST

START_TEST(f32_lengths)
{
    const struct isa *isa = &isas[_i];
    if (skip(isa)) return;
    struct bufs b = alloc_bufs(131073);
    rng_state = 2;
    for (int desc = 0; desc < 2; desc++) {
        for (size_t l = 1; l <= 40; l++)
            for (int p = 0; p < N_PATTERNS; p++)
                for (int rep = 0; rep < 16; rep++) {
                    fill_f32(b.keys, l, p);
                    compare(isa, &b, l, 1, desc, p);
                }
        for (size_t j = 0; j < N_LENGTHS; j++)
            for (int p = 0; p < N_PATTERNS; p++)
                for (int rep = 0; rep < 3; rep++) {
                    size_t l = lengths[j];
                    fill_f32(b.keys, l, p);
                    compare(isa, &b, l, 1, desc, p);
                }
    }
    free_bufs(&b);
}
END_TEST

/* 30000 random rows: lengths spread evenly in log scale to 5000. */
START_TEST(random_rows)
{
    const struct isa *isa = &isas[_i];
    if (skip(isa)) return;
    struct bufs b = alloc_bufs(5100);
    rng_state = 3;
    for (int row = 0; row < 30000; row++) {
        size_t l = (size_t)exp2((double)(rnd() % 12300) / 1000.0);
        int p = (int)(rnd() % N_PATTERNS), f32 = (int)(rnd() % 2), desc = (int)(rnd() % 2);
        if (f32) fill_f32(b.keys, l, p);
        else fill_noise(b.keys, l, p);
        compare(isa, &b, l, f32, desc, p);
    }
    free_bufs(&b);
}
END_TEST

/* Every path of every x86 ISA at every listed length it takes
 * (sm__argsort_path_takes), whichever lengths the ISA's cut-overs send to
 * it, so that a cut-over can move without leaving a path untested: 0 packed
 * uint32, 1 uint64 merges, 2 and 3 radix, 4..6 noise buckets with 0..2
 * extra bits. */
START_TEST(every_path)
{
    const struct isa *isa = &isas[_i];
    if (skip(isa) || !isa->path) return;
    static const size_t ls[] = { 1, 2, 15, 16, 17, 33, 49, 100, 196, 255, 256, 257, 300, 384, 513,
                                 576, 769, 1024, 1025, 1568, 2049, 3000, 3969, 4096, 4097, 8193,
                                 16383, 16384, 32768, 65536, 131072 };
    struct bufs b = alloc_bufs(131072);
    rng_state = 4;
    for (int f32 = 0; f32 < 2; f32++)
        for (int path = 0; path < 7; path++) {
            int runs = 0;
            for (size_t j = 0; j < sizeof ls / sizeof ls[0]; j++) {
                size_t l = ls[j];
                if (!sm__argsort_path_takes(f32, path, l)) continue;
                runs++;
                for (int p = 0; p < N_PATTERNS; p++) {
                    int desc = f32 && p % 2;
                    if (f32) fill_f32(b.keys, l, p);
                    else fill_noise(b.keys, l, p);
                    compare_path(isa, &b, l, f32, desc, p, path);
                }
            }
            /* Every path but the float buckets (there are none) must have
             * run: at 16 lengths or more (noise buckets with 2 extra bits,
             * 257..32768), so that a predicate gone wrong cannot empty it. */
            if ((!f32 || path <= 3) && runs < 16)
                ck_abort_msg("%s: %s path %d ran at %d lengths", isa->name, f32 ? "f32" : "noise",
                             path, runs);
        }
    free_bufs(&b);
}
END_TEST

/* The scalar oracle itself on one case worked by hand: NaN last and equal,
 * -0 == +0 in index order, both orders. */
START_TEST(scalar_order)
{
    const float k[6] = { NAN, 0.0f, -INFINITY, -0.0f, -NAN, 1.0f };
    const uint32_t asc[6] = { 2, 1, 3, 5, 0, 4 }, desc[6] = { 0, 4, 5, 1, 3, 2 };
    uint32_t got[6];
    unsigned char *s = aligned_alloc(64, (SM__ARGSORT_SCRATCH(6) + 63) / 64 * 64);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < N_ISAS + 1; i++) {
        f32_fn f = i < N_ISAS ? isas[i].f32 : sm__scalar_argsort_f32;
        if (i < N_ISAS && (sm_cpu_features() & isas[i].required) != isas[i].required) continue;
        f(k, 6, 0, got, s);
        ck_assert_mem_eq(got, asc, sizeof asc);
        f(k, 6, 1, got, s);
        ck_assert_mem_eq(got, desc, sizeof desc);
    }
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("argsort_kernels");
    TCase *tc = tcase_create("isa");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, scalar_order);
    if (N_ISAS > 0) {
        tcase_add_loop_test(tc, noise_lengths, 0, (int)N_ISAS);
        tcase_add_loop_test(tc, f32_lengths, 0, (int)N_ISAS);
        tcase_add_loop_test(tc, random_rows, 0, (int)N_ISAS);
        tcase_add_loop_test(tc, every_path, 0, (int)N_ISAS);
    }
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
