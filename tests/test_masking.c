/* sm_random_masking on thousands of random shapes, ratios and seeds: the
 * SPEC's invariants, agreement between output types and optional outputs,
 * thread-count independence, philox rows independent of the batch, the
 * decoder's restore, len_keep edge cases, and the backend vs scalar. */
#include <math.h>
#include <stdlib.h>

#include "testutil.h"

static int torch_cmp(float a, float b)
{
    bool na = isnan(a), nb = isnan(b);
    if (na || nb) return na == nb ? 0 : na ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

/* One random problem and every output buffer for it. */
struct problem {
    size_t n, l, row_bytes, keep;
    double ratio;
    int source;             /* 0 philox, 1 torch, 2 noise_in */
    sm_rng rng;             /* initial state */
    float *noise_in;
    unsigned char *x;
};

struct outputs {
    float *noise;
    void *shuffle, *restore, *keep, *mask, *x_masked;
};

static double draw_ratio(t_rand *r)
{
    static const double fixed[] = { 0.0, 1.0, 0.75, 0.9, 0.5, 0.4, 0.7, 0.25, 0.95 };
    if (t_below(r, 3)) return fixed[t_below(r, sizeof fixed / sizeof fixed[0])];
    return (double)(t_next(r) >> 11) * 0x1p-53 * (t_below(r, 2) ? 1.0 : 1.0 + 0x1p-52);
}

static void make_problem(t_rand *r, struct problem *p, size_t max_l)
{
    memset(p, 0, sizeof *p);
    p->n = 1 + t_below(r, 8);
    size_t pick = t_below(r, 10);
    p->l = pick == 0 ? 1 + t_below(r, 3) : pick == 1 ? 1 + t_below(r, max_l) : 1 + t_below(r, 260);
    p->row_bytes = 1 + t_below(r, t_below(r, 4) ? 16 : 200);
    p->ratio = draw_ratio(r);
    double k = trunc((double)p->l * (1.0 - p->ratio));
    p->keep = k > (double)p->l ? p->l : (size_t)k;
    p->source = (int)t_below(r, 3);
    T_OK(sm_rng_init(&p->rng, p->source == 1 ? SM_RNG_TORCH : SM_RNG_PHILOX, t_next(r),
                     (uint32_t)t_next(r)));
    if (p->source == 0) p->rng.row = t_below(r, 2) ? t_next(r) : t_below(r, 100);
    if (p->source == 2) {
        p->noise_in = malloc(p->n * p->l * 4);
        int ties = (int)t_below(r, 3);
        for (size_t i = 0; i < p->n * p->l; i++) {
            if (ties == 0)
                p->noise_in[i] = (float)t_below(r, 4) * 0.25f; /* many ties */
            else if (ties == 1 && t_below(r, 20) == 0)
                p->noise_in[i] = t_below(r, 2) ? NAN : -0.0f;
            else
                p->noise_in[i] = (float)(t_next(r) >> 40) * 0x1p-24f;
        }
    }
    p->x = malloc(p->n * p->l * p->row_bytes);
    for (size_t i = 0; i < p->n * p->l * p->row_bytes; i++) p->x[i] = (unsigned char)t_next(r);
}

static void free_problem(struct problem *p)
{
    free(p->noise_in), free(p->x);
}

static void alloc_outputs(const struct problem *p, sm_index_type it, sm_mask_type mt, struct outputs *o)
{
    size_t nl = p->n * p->l, isz = it == SM_INDEX_I32 ? 4 : 8;
    o->noise = t_alloc(nl * 4, T_CANARY);
    o->shuffle = t_alloc(nl * isz, T_CANARY);
    o->restore = t_alloc(nl * isz, T_CANARY);
    o->keep = t_alloc(p->n * p->keep * isz, T_CANARY);
    o->mask = t_alloc(nl * (mt == SM_MASK_U8 ? 1 : 4), T_CANARY);
    o->x_masked = t_alloc(p->n * p->keep * p->row_bytes, T_CANARY);
}

static void free_outputs(struct outputs *o)
{
    free(o->noise), free(o->shuffle), free(o->restore), free(o->keep), free(o->mask), free(o->x_masked);
}

/* Runs the masking; `which` bit i clears output i (0 noise .. 5 x_masked).
 * The generator state after the call goes to *rng_after. */
static void run(const struct problem *p, sm_index_type it, sm_mask_type mt, unsigned which,
                struct outputs *o, sm_rng *rng_after)
{
    sm_rng g = p->rng;
    sm_masking m = {
        .n = p->n, .l = p->l, .mask_ratio = p->ratio,
        .rng = p->source == 2 ? NULL : &g, .noise_in = p->noise_in,
        .x = p->x, .row_bytes = p->row_bytes, .index_type = it, .mask_type = mt,
        .noise = which & 1 ? NULL : o->noise,
        .ids_shuffle = which & 2 ? NULL : o->shuffle,
        .ids_restore = which & 4 ? NULL : o->restore,
        .ids_keep = which & 8 ? NULL : o->keep,
        .mask = which & 16 ? NULL : o->mask,
        .x_masked = which & 32 ? NULL : o->x_masked,
    };
    T_OK(sm_random_masking(&m));
    T_UINT_EQ(m.len_keep, p->keep);
    if (rng_after) *rng_after = g;
}

/* The SPEC's definitions, checked on int64 outputs with a float mask. */
static void check_invariants(const struct problem *p, const struct outputs *o, const sm_rng *after,
                             uint64_t seed)
{
    size_t n = p->n, l = p->l, keep = p->keep, rb = p->row_bytes;
    const int64_t *sh = o->shuffle, *re = o->restore, *kp = o->keep;
    const float *mask = o->mask;
    /* noise: the generator's stream, or the caller's noise copied */
    if (p->source == 2) {
        T_MEM_EQ(o->noise, p->noise_in, n * l * 4);
    } else {
        sm_rng g = p->rng;
        float *want = malloc(n * l * 4);
        T_OK(sm_rng_uniform(&g, want, n, l));
        T_MSG(memcmp(want, o->noise, n * l * 4) == 0, "seed %llx: noise", (unsigned long long)seed);
        T_RNG_EQ(g, *after);
        free(want);
    }
    char *seen = malloc(l);
    for (size_t i = 0; i < n; i++) {
        const float *nz = o->noise + i * l;
        memset(seen, 0, l);
        size_t zeros = 0;
        for (size_t j = 0; j < l; j++) {
            int64_t s = sh[i * l + j];
            T_MSG(s >= 0 && (size_t)s < l && !seen[s], "seed %llx: ids_shuffle row %zu is not a permutation",
                          (unsigned long long)seed, i);
            seen[s] = 1;
            T_INT_EQ(re[i * l + s], (int64_t)j);
            if (j + 1 < l) {
                int64_t t = sh[i * l + j + 1];
                int c = torch_cmp(nz[s], nz[t]);
                T_MSG(c < 0 || (c == 0 && s < t), "seed %llx row %zu: keys out of order at %zu",
                              (unsigned long long)seed, i, j);
            }
            if (j < keep) {
                T_INT_EQ(kp[i * keep + j], s);
                T_MEM_EQ((const char *)o->x_masked + (i * keep + j) * rb, p->x + (i * l + (size_t)s) * rb, rb);
            }
            float mv = mask[i * l + j];
            T_TRUE(mv == (re[i * l + j] < (int64_t)keep ? 0.0f : 1.0f));
            zeros += mv == 0.0f;
        }
        T_UINT_EQ(zeros, keep);
    }
    free(seen);
}

/* int32 and uint8 outputs, and any subset of outputs, agree with the full
 * int64 / float run. */
static void check_variants(const struct problem *p, const struct outputs *full, t_rand *r)
{
    size_t nl = p->n * p->l, nk = p->n * p->keep;
    struct outputs o;
    alloc_outputs(p, SM_INDEX_I32, SM_MASK_U8, &o);
    unsigned which = t_below(r, 2) ? 0 : (unsigned)t_below(r, 64);
    run(p, SM_INDEX_I32, SM_MASK_U8, which, &o, NULL);
    for (size_t i = 0; i < nl; i++) {
        if (!(which & 2)) T_INT_EQ(((int32_t *)o.shuffle)[i], ((int64_t *)full->shuffle)[i]);
        if (!(which & 4)) T_INT_EQ(((int32_t *)o.restore)[i], ((int64_t *)full->restore)[i]);
        if (!(which & 16)) T_INT_EQ(((uint8_t *)o.mask)[i], ((float *)full->mask)[i] == 1.0f);
    }
    for (size_t i = 0; i < nk && !(which & 8); i++)
        T_INT_EQ(((int32_t *)o.keep)[i], ((int64_t *)full->keep)[i]);
    if (!(which & 1)) T_MEM_EQ(o.noise, full->noise, nl * 4);
    if (!(which & 32) && nk) T_MEM_EQ(o.x_masked, full->x_masked, nk * p->row_bytes);
    /* Outputs left out are not written. */
    if (which & 1) T_TRUE(t_all_bytes(o.noise, nl * 4, T_CANARY));
    if (which & 2) T_TRUE(t_all_bytes(o.shuffle, nl * 4, T_CANARY));
    if (which & 4) T_TRUE(t_all_bytes(o.restore, nl * 4, T_CANARY));
    if (which & 8) T_TRUE(t_all_bytes(o.keep, nk * 4, T_CANARY));
    if (which & 16) T_TRUE(t_all_bytes(o.mask, nl, T_CANARY));
    if (which & 32) T_TRUE(t_all_bytes(o.x_masked, nk * p->row_bytes, T_CANARY));
    free_outputs(&o);
}

START_TEST(random_shapes)
{
    t_rand r = { 0xA000 + (uint64_t)_i };
    for (int iter = 0; iter < 500; iter++) {
        uint64_t seed = r.s;
        struct problem p;
        make_problem(&r, &p, 3000);
        struct outputs o;
        sm_rng after;
        alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &o);
        run(&p, SM_INDEX_I64, SM_MASK_F32, 0, &o, &after);
        check_invariants(&p, &o, &after, seed);
        check_variants(&p, &o, &r);
        if (p.source != 2) {
            /* The same noise given as noise_in goes through the general float
             * argsort instead of the 24-bit noise sort: same answer. */
            struct problem q = p;
            q.source = 2;
            q.noise_in = o.noise;
            struct outputs o2;
            alloc_outputs(&q, SM_INDEX_I64, SM_MASK_F32, &o2);
            run(&q, SM_INDEX_I64, SM_MASK_F32, 0, &o2, NULL);
            size_t nl = p.n * p.l;
            T_MEM_EQ(o2.shuffle, o.shuffle, nl * 8);
            T_MEM_EQ(o2.restore, o.restore, nl * 8);
            T_MEM_EQ(o2.mask, o.mask, nl * 4);
            T_MEM_EQ(o2.x_masked, o.x_masked, p.n * p.keep * p.row_bytes);
            free_outputs(&o2);
        }
        free_outputs(&o);
        free_problem(&p);
    }
}
END_TEST

/* Bit-identical outputs for 1, 2, 3 and 7 threads on a batch large enough to
 * be split (64 x 196 tokens of 768 bytes: ~9.6 MB of x). */
START_TEST(threads_do_not_change_result)
{
    t_rand r = { 0xB000 };
    struct problem p;
    make_problem(&r, &p, 10);
    free_problem(&p);
    p.n = 64, p.l = 196, p.row_bytes = 768, p.ratio = 0.75, p.keep = 49;
    p.source = _i % 3;
    T_OK(sm_rng_init(&p.rng, p.source == 1 ? SM_RNG_TORCH : SM_RNG_PHILOX, 42, 3));
    p.noise_in = NULL;
    if (p.source == 2) {
        p.noise_in = malloc(p.n * p.l * 4);
        for (size_t i = 0; i < p.n * p.l; i++) p.noise_in[i] = (float)t_below(&r, 64);
    }
    p.x = malloc(p.n * p.l * p.row_bytes);
    for (size_t i = 0; i < p.n * p.l * p.row_bytes; i++) p.x[i] = (unsigned char)i;
    unsigned which = _i >= 3 ? 1 : 0; /* without a noise output too */
    struct outputs want, got;
    alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &want);
    alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &got);
    const int counts[] = { 1, 2, 3, 7 };
    sm_rng a0, a;
    for (int t = 0; t < 4; t++) {
        T_OK(sm_set_num_threads(counts[t]));
        run(&p, SM_INDEX_I64, SM_MASK_F32, which, t ? &got : &want, t ? &a : &a0);
        if (!t) continue;
        size_t nl = p.n * p.l, nk = p.n * p.keep;
        T_MEM_EQ(got.noise, want.noise, nl * 4);
        T_MEM_EQ(got.shuffle, want.shuffle, nl * 8);
        T_MEM_EQ(got.restore, want.restore, nl * 8);
        T_MEM_EQ(got.keep, want.keep, nk * 8);
        T_MEM_EQ(got.mask, want.mask, nl * 4);
        T_MEM_EQ(got.x_masked, want.x_masked, nk * p.row_bytes);
        if (p.source != 2) T_RNG_EQ(a, a0);
    }
    T_OK(sm_set_num_threads(0));
    free_outputs(&want), free_outputs(&got);
    free_problem(&p);
}
END_TEST

/* Philox masking: sample r of a batch is masked exactly as the batch of one
 * made of sample r with rng.row = row0 + r; rng.row advances by n. */
START_TEST(philox_rows_independent_of_batch)
{
    t_rand r = { 0xC000 };
    for (int iter = 0; iter < 100; iter++) {
        struct problem p = { 0 };
        do {
            free_problem(&p);
            make_problem(&r, &p, 600);
        } while (p.source != 0);
        struct outputs all, one;
        sm_rng after;
        alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &all);
        run(&p, SM_INDEX_I64, SM_MASK_F32, 0, &all, &after);
        T_UINT_EQ(after.row, p.rng.row + p.n);
        struct problem q = p;
        q.n = 1;
        alloc_outputs(&q, SM_INDEX_I64, SM_MASK_F32, &one);
        size_t l = p.l, k = p.keep, rb = p.row_bytes;
        for (size_t i = 0; i < p.n; i++) {
            q.rng.row = p.rng.row + i;
            q.x = p.x + i * l * rb;
            run(&q, SM_INDEX_I64, SM_MASK_F32, 0, &one, NULL);
            T_MEM_EQ(one.noise, all.noise + i * l, l * 4);
            T_MEM_EQ(one.shuffle, (int64_t *)all.shuffle + i * l, l * 8);
            T_MEM_EQ(one.mask, (float *)all.mask + i * l, l * 4);
            if (k) T_MEM_EQ(one.x_masked, (char *)all.x_masked + i * k * rb, k * rb);
        }
        free_outputs(&all), free_outputs(&one);
        free_problem(&p);
    }
}
END_TEST

/* The decoder puts the kept rows back and the mask token elsewhere. */
START_TEST(unshuffle_restores)
{
    t_rand r = { 0xD000 };
    for (int iter = 0; iter < 300; iter++) {
        struct problem p;
        make_problem(&r, &p, 1000);
        sm_index_type it = (sm_index_type)(iter & 1);
        struct outputs o;
        alloc_outputs(&p, it, SM_MASK_U8, &o);
        run(&p, it, SM_MASK_U8, 0, &o, NULL);
        size_t rb = p.row_bytes, nl = p.n * p.l;
        unsigned char *token = malloc(rb), *out = t_alloc(nl * rb + 1, T_CANARY);
        for (size_t i = 0; i < rb; i++) token[i] = (unsigned char)t_next(&r);
        T_OK(sm_unshuffle(p.keep ? o.x_masked : NULL, token, o.restore, it, p.n, p.l, p.keep, rb, out));
        T_TRUE(t_all_bytes(out + nl * rb, 1, T_CANARY));
        for (size_t i = 0; i < nl; i++) {
            bool kept = ((uint8_t *)o.mask)[i] == 0;
            T_MEM_EQ(out + i * rb, kept ? p.x + i * rb : token, rb);
        }
        free(token), free(out);
        free_outputs(&o);
        free_problem(&p);
    }
}
END_TEST

START_TEST(len_keep_edges)
{
    static const struct { size_t l; double r; size_t keep; } cases[] = {
        { 10, 0.9, 0 },      /* 10 * (1 - 0.9) = 0.9999999999999998 in double */
        { 10, 0.7, 3 },      /* 3.0000000000000004 */
        { 10, 0.0, 10 }, { 10, 1.0, 0 }, { 10, -0.0, 10 },
        { 196, 0.75, 49 }, { 1568, 0.9, 156 }, { 8, 0.4, 4 }, { 1, 0.5, 0 }, { 1, 0.0, 1 },
        { 3, 1.0 / 3.0, 2 }, { 100, 0.29, 71 }, { 100, 0.57, 43 },
        { (size_t)1 << 40, 0.5, (size_t)1 << 39 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t k = 12345;
        T_OK(sm_len_keep(cases[i].l, cases[i].r, &k));
        T_MSG(k == cases[i].keep, "len_keep(%zu, %.17g) = %zu, Python says %zu", cases[i].l,
                      cases[i].r, k, cases[i].keep);
    }
    /* The edge cases through the masking itself, with every output. */
    for (size_t i = 0; i < 4; i++) {
        struct problem p;
        t_rand r = { i };
        make_problem(&r, &p, 10);
        p.n = 3, p.l = cases[i].l, p.ratio = cases[i].r, p.keep = cases[i].keep;
        free(p.noise_in), p.noise_in = NULL, p.source = 1;
        T_OK(sm_rng_init(&p.rng, SM_RNG_TORCH, 7, 0));
        free(p.x), p.x = calloc(p.n * p.l, p.row_bytes);
        struct outputs o;
        sm_rng after;
        alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &o);
        run(&p, SM_INDEX_I64, SM_MASK_F32, 0, &o, &after);
        check_invariants(&p, &o, &after, i);
        free_outputs(&o);
        free_problem(&p);
    }
}
END_TEST

START_TEST(backend_matches_scalar)
{
    t_rand r = { 0xE000 };
    for (int iter = 0; iter < 300; iter++) {
        struct problem p;
        make_problem(&r, &p, 5000);
        sm_index_type it = (sm_index_type)t_below(&r, 2);
        sm_mask_type mt = (sm_mask_type)t_below(&r, 2);
        struct outputs a, b;
        sm_rng ga, gb;
        alloc_outputs(&p, it, mt, &a);
        alloc_outputs(&p, it, mt, &b);
        t_use_scalar();
        run(&p, it, mt, 0, &a, &ga);
        t_use_tested();
        run(&p, it, mt, 0, &b, &gb);
        size_t nl = p.n * p.l, nk = p.n * p.keep, isz = it == SM_INDEX_I32 ? 4 : 8;
        T_MEM_EQ(a.noise, b.noise, nl * 4);
        T_MEM_EQ(a.shuffle, b.shuffle, nl * isz);
        T_MEM_EQ(a.restore, b.restore, nl * isz);
        T_MEM_EQ(a.keep, b.keep, nk * isz);
        T_MEM_EQ(a.mask, b.mask, nl * (mt == SM_MASK_U8 ? 1 : 4));
        T_MEM_EQ(a.x_masked, b.x_masked, nk * p.row_bytes);
        if (p.source != 2) T_RNG_EQ(ga, gb);
        free_outputs(&a), free_outputs(&b);
        free_problem(&p);
    }
}
END_TEST

/* Batches the step gathers in several blocks (of up to 4096 kept indices,
 * rebased to each block's first sample), a row longer than a block, and
 * thread counts that split the blocks differently: the SPEC's invariants,
 * x_masked row by row from ids_shuffle, and the same bytes for every count. */
START_TEST(gather_blocks)
{
    static const struct { size_t n, l; double ratio; } shapes[] = {
        { 300, 196, 0.75 }, /* 49 kept: blocks of up to 83 rows */
        { 37, 1100, 0.5 },  /* 550 kept: blocks of up to 7 rows */
        { 3, 5000, 0.1 },   /* 4500 kept: one row a block */
    };
    t_rand r = { 0xD000 + (uint64_t)_i };
    struct problem p;
    make_problem(&r, &p, 10);
    free_problem(&p);
    p.n = shapes[_i].n, p.l = shapes[_i].l, p.ratio = shapes[_i].ratio, p.row_bytes = 12;
    T_OK(sm_len_keep(p.l, p.ratio, &p.keep));
    p.source = 0, p.noise_in = NULL;
    T_OK(sm_rng_init(&p.rng, SM_RNG_PHILOX, 9, 1));
    p.x = malloc(p.n * p.l * p.row_bytes);
    for (size_t i = 0; i < p.n * p.l * p.row_bytes; i++) p.x[i] = (unsigned char)t_next(&r);
    struct outputs first;
    alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &first);
    const int counts[] = { 1, 2, 3 };
    for (int t = 0; t < 3; t++) {
        struct outputs o;
        sm_rng after;
        T_OK(sm_set_num_threads(counts[t]));
        alloc_outputs(&p, SM_INDEX_I64, SM_MASK_F32, &o);
        run(&p, SM_INDEX_I64, SM_MASK_F32, 0, &o, &after);
        check_invariants(&p, &o, &after, 0xD000 + (uint64_t)_i);
        if (t == 0)
            memcpy(first.x_masked, o.x_masked, p.n * p.keep * p.row_bytes);
        else
            T_MEM_EQ(o.x_masked, first.x_masked, p.n * p.keep * p.row_bytes);
        free_outputs(&o);
    }
    T_OK(sm_set_num_threads(0));
    free_outputs(&first);
    free_problem(&p);
}
END_TEST

Suite *sm_test_suite(void)
{
    Suite *s = suite_create("masking");
    const struct t_case tests[] = {
        { "random_shapes", random_shapes, 4 },
        { "threads", threads_do_not_change_result, 6 },
        { "philox_rows", philox_rows_independent_of_batch, 1 },
        { "unshuffle", unshuffle_restores, 1 },
        { "len_keep", len_keep_edges, 1 },
        { "vs_scalar", backend_matches_scalar, 1 },
        { "gather_blocks", gather_blocks, 3 },
    };
    t_add_cases(s, tests, sizeof tests / sizeof tests[0]);
    return s;
}
