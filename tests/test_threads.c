/* Threads against the library, for ThreadSanitizer (.ci/sanitize.sh builds
 * this with -Db_sanitize=thread) and as a plain test in every other build:
 *
 * 1. Eight threads make their first library call at the same moment, so that
 *    backend selection (an atomic pointer chosen on first use) races; all
 *    must see the same backend and get the scalar backend's bytes.
 * 2. Masking, argsort and the row gather split over OpenMP threads (the
 *    sizes are above the 64 KiB-per-thread cut in src/threads.c) give the
 *    bytes of a one-thread run.
 * 3. Threads switch the backend with sm_backend_set while others mask: every
 *    backend gives the same bytes, so every result must still match.
 * 4. The scratch a thread keeps between calls: calls whose scratch grows,
 *    shrinks and passes the 4 MiB kept at most, on 1 and 3 OpenMP threads,
 *    each against the same call made after sm_free_thread_cache. The threads
 *    of parts 1 and 3 exit holding kept blocks: the ASan build's leak check
 *    fails if exit does not free them.
 *
 * A plain program rather than a Check suite: part 1 must be the process's
 * first call into the library, which Check's runner would blur. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simdmask.h>

#define NT 8
enum { N = 4, L = 196, D = 48 };

static pthread_barrier_t start;
static unsigned char x[N * L * D];
static unsigned char outs[NT][N * L * 8 + N * L * 4 + N * L * D];
static const char *seen[NT];
static sm_status status[NT];
static int failures;

#define EXPECT(cond, ...)                                    \
    do {                                                     \
        if (!(cond)) {                                       \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                    \
            fprintf(stderr, "\n");                           \
            failures++;                                      \
        }                                                    \
    } while (0)

/* One MAE masking into out: ids_restore (int64), mask (float), x_masked. */
static sm_status mask_into(unsigned char *out, uint64_t seed, size_t n, size_t l, size_t d,
                           const unsigned char *src, sm_rng_kind kind)
{
    sm_rng g;
    sm_rng_init(&g, kind, seed, 11);
    sm_masking m = {
        .n = n, .l = l, .mask_ratio = 0.75, .rng = &g, .x = src, .row_bytes = d,
        .ids_restore = out, .mask = out + n * l * 8, .x_masked = out + n * l * 12,
    };
    return sm_random_masking(&m);
}

static void *first_call(void *arg)
{
    int i = (int)(intptr_t)arg;
    pthread_barrier_wait(&start);
    status[i] = mask_into(outs[i], 2024, N, L, D, x, SM_RNG_PHILOX);
    seen[i] = sm_backend_active();
    return NULL;
}

static atomic_int stop_switching;

static void *switcher(void *arg)
{
    (void)arg;
    for (int r = 0; !stop_switching && r < 100000; r++) {
        size_t i = (size_t)r % sm_backend_count();
        if (sm_backend_supported(i)) sm_backend_set(sm_backend_name(i));
    }
    return NULL;
}

static void *masker(void *arg)
{
    int i = (int)(intptr_t)arg;
    for (int r = 0; r < 20; r++) status[i] |= mask_into(outs[i], 77, N, L, D, x, SM_RNG_TORCH);
    return NULL;
}

int main(void)
{
    for (size_t i = 0; i < sizeof x; i++) x[i] = (unsigned char)(i * 131u >> 3);

    /* 1. The first calls race. */
    pthread_t th[NT];
    pthread_barrier_init(&start, NULL, NT);
    for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, first_call, (void *)(intptr_t)i);
    for (int i = 0; i < NT; i++) pthread_join(th[i], NULL);
    const size_t bytes = sizeof outs[0];
    static unsigned char ref[sizeof outs[0]];
    EXPECT(sm_backend_set("scalar") == SM_OK, "scalar");
    EXPECT(mask_into(ref, 2024, N, L, D, x, SM_RNG_PHILOX) == SM_OK, "reference");
    for (int i = 0; i < NT; i++) {
        EXPECT(status[i] == SM_OK, "thread %d: status %d", i, (int)status[i]);
        EXPECT(seen[i] && strcmp(seen[i], seen[0]) == 0, "thread %d saw backend %s, thread 0 %s", i,
               seen[i], seen[0]);
        EXPECT(memcmp(outs[i], ref, bytes) == 0, "thread %d: result differs from scalar", i);
    }
    printf("first calls from %d threads: backend %s\n", NT, seen[0]);
    sm_backend_set(NULL);

    /* 2. OpenMP splits: 64 x 1024 tokens of 64 bytes, 4 threads vs 1. */
    size_t n = 64, l = 1024, d = 64, big = n * l * (8 + 4 + d);
    unsigned char *src = malloc(n * l * d), *a = malloc(big), *b = malloc(big);
    float *keys = malloc(n * l * 4);
    int64_t *ia = malloc(n * l * 8), *ib = malloc(n * l * 8);
    if (!src || !a || !b || !keys || !ia || !ib) return 1;
    for (size_t i = 0; i < n * l * d; i++) src[i] = (unsigned char)(i * 7u);
    for (size_t i = 0; i < n * l; i++) keys[i] = (float)((i * 2654435761u) % 1000) - 500.0f;
    for (size_t bi = 0; bi < sm_backend_count(); bi++) {
        if (!sm_backend_supported(bi)) continue;
        sm_backend_set(sm_backend_name(bi));
        for (int kind = 0; kind < 2; kind++) {
            memset(a, 0, big), memset(b, 0, big);
            sm_set_num_threads(1);
            EXPECT(mask_into(a, 5, n, l, d, src, (sm_rng_kind)kind) == SM_OK, "masking, 1 thread");
            sm_set_num_threads(4);
            EXPECT(mask_into(b, 5, n, l, d, src, (sm_rng_kind)kind) == SM_OK, "masking, 4 threads");
            EXPECT(memcmp(a, b, big) == 0, "%s: masking (generator %d) differs across thread counts",
                   sm_backend_name(bi), kind);
        }
        sm_set_num_threads(1);
        EXPECT(sm_argsort(keys, n, l, SM_DESCENDING, SM_INDEX_I64, ia) == SM_OK, "argsort");
        sm_set_num_threads(4);
        EXPECT(sm_argsort(keys, n, l, SM_DESCENDING, SM_INDEX_I64, ib) == SM_OK, "argsort");
        EXPECT(memcmp(ia, ib, n * l * 8) == 0, "%s: argsort differs across thread counts", sm_backend_name(bi));
        for (size_t i = 0; i < n * l; i++) ia[i] %= (int64_t)l;
        sm_set_num_threads(1);
        EXPECT(sm_gather_rows(src, n, l, d, ia, SM_INDEX_I64, l / 2, a) == SM_OK, "gather");
        sm_set_num_threads(4);
        EXPECT(sm_gather_rows(src, n, l, d, ia, SM_INDEX_I64, l / 2, b) == SM_OK, "gather");
        EXPECT(memcmp(a, b, n * (l / 2) * d) == 0, "%s: gather differs across thread counts", sm_backend_name(bi));
    }
    sm_set_num_threads(0);
    printf("OpenMP splits: bit-identical for 1 and 4 threads\n");

    /* 3. Backend switches while masking. */
    sm_backend_set("scalar");
    EXPECT(mask_into(ref, 77, N, L, D, x, SM_RNG_TORCH) == SM_OK, "reference");
    memset(status, 0, sizeof status);
    for (int i = 0; i < NT; i++)
        pthread_create(&th[i], NULL, i < 2 ? switcher : masker, (void *)(intptr_t)i);
    for (int i = 2; i < NT; i++) pthread_join(th[i], NULL);
    stop_switching = 1;
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    for (int i = 2; i < NT; i++) {
        EXPECT(status[i] == SM_OK, "masker %d: status %d", i, (int)status[i]);
        EXPECT(memcmp(outs[i], ref, bytes) == 0, "masker %d: result differs from scalar", i);
    }
    printf("backend switches during masking: results unchanged\n");
    sm_backend_set(NULL);

    /* 4. Kept scratch. Rows of 49 .. 65536 tokens (the last with torch noise
     * for 8 samples: 2 MiB of noise plus ~1 MiB of sort scratch a thread). */
    static const size_t shapes[][2] = { { 4, 49 }, { 8, 4096 }, { 4, 196 }, { 8, 65536 }, { 2, 16384 }, { 4, 49 } };
    size_t most = 8 * 65536 * (8 + 4 + 16);
    unsigned char *kx = malloc(8 * 65536 * 16), *ka = malloc(most), *kb = malloc(most);
    if (!kx || !ka || !kb) return 1;
    for (size_t i = 0; i < 8 * 65536 * 16; i++) kx[i] = (unsigned char)(i * 13u >> 2);
    for (int threads = 1; threads <= 3; threads += 2) {
        sm_set_num_threads(threads);
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            size_t sn = shapes[s][0], sl = shapes[s][1], sb = sn * sl * (8 + 4 + 16);
            memset(ka, 0, sb), memset(kb, 0, sb);
            EXPECT(mask_into(ka, 31 + s, sn, sl, 16, kx, SM_RNG_TORCH) == SM_OK, "kept scratch");
            sm_free_thread_cache();
            EXPECT(mask_into(kb, 31 + s, sn, sl, 16, kx, SM_RNG_TORCH) == SM_OK, "fresh scratch");
            EXPECT(memcmp(ka, kb, sb) == 0, "%d threads, %zu x %zu: kept scratch changed the result",
                   threads, sn, sl);
            /* the next shape starts from this one's kept block */
            EXPECT(mask_into(kb, 31 + s, sn, sl, 16, kx, SM_RNG_TORCH) == SM_OK, "kept scratch");
        }
    }
    sm_set_num_threads(0);
    sm_free_thread_cache();
    sm_free_thread_cache(); /* nothing kept: a no-op */
    printf("kept scratch: results unchanged\n");
    free(kx), free(ka), free(kb);
    free(src), free(a), free(b), free(keys), free(ia), free(ib);
    if (failures) fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
