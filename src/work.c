#include <pthread.h>
#include <stdlib.h>

#include "work.h"

sm_status sm__check_spans(const struct sm__span *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!s[i].output) continue;
        for (size_t j = 0; j < n; j++)
            if (j != i && sm__overlap(s[i].p, s[i].bytes, s[j].p, s[j].bytes))
                return sm__fail(SM_EALIAS, "%s overlaps %s", s[i].name, s[j].name);
    }
    return SM_OK;
}

sm_status sm__check_align(const char *name, const void *p, size_t align)
{
    if ((uintptr_t)p & (align - 1))
        return sm__fail(SM_EINVAL, "%s is not aligned to its %zu-byte elements", name, align);
    return SM_OK;
}

/* The calling thread keeps its last scratch block (up to SM__SCRATCH_KEEP
 * bytes) for the next call: allocating it afresh each time made glibc move
 * the heap's top and back (a brk and its page faults a call), which on the
 * 2-core VM took a masking step of 256 x 196 tokens of 256 bytes from 0.20 ms
 * on one thread to 0.70 ms on two (51 page faults a step against 1.3). A
 * block in use is never handed out twice: a call made while it is (none of
 * the entry points does so) allocates its own. The kept block is freed when
 * the thread exits (the library is linked -z nodelete, so the destructor
 * outlives dlclose) or by sm_free_thread_cache. It grows in whole
 * SM__SCRATCH_STEP steps. */
#define SM__SCRATCH_KEEP ((size_t)4 << 20)
#define SM__SCRATCH_STEP ((size_t)64 << 10)

struct scratch_cache {
    void *p;
    size_t bytes;
    bool busy;
};
static _Thread_local struct scratch_cache cache;
static pthread_key_t cache_key;
static bool cache_key_ok;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

/* Thread exit: the key's value is the kept block. */
static void cache_exit(void *p)
{
    free(p);
}

static void cache_key_create(void)
{
    /* Without a key the block is still reused, only not freed at thread exit. */
    cache_key_ok = pthread_key_create(&cache_key, cache_exit) == 0;
}

static void cache_drop(void)
{
    free(cache.p);
    cache.p = NULL, cache.bytes = 0;
    pthread_once(&cache_once, cache_key_create);
    if (cache_key_ok) (void)pthread_setspecific(cache_key, NULL);
}

void *sm__scratch(int threads, size_t bytes, size_t extra, size_t *stride)
{
    size_t s = (bytes + 63) & ~(size_t)63, total;
    /* room for extra and for rounding total up to a whole step below */
    if (s < bytes || !sm__mul(s, (size_t)threads, &total) || total > SIZE_MAX - SM__SCRATCH_STEP ||
        extra > SIZE_MAX - SM__SCRATCH_STEP - total)
        return NULL;
    total += extra;
    *stride = s;
    if (!total) total = 64;
    if (cache.busy || total > SM__SCRATCH_KEEP) return aligned_alloc(64, (total + 63) & ~(size_t)63);
    if (cache.bytes < total) {
        cache_drop();
        size_t want = (total + SM__SCRATCH_STEP - 1) & ~(SM__SCRATCH_STEP - 1);
        if (!(cache.p = aligned_alloc(64, want))) return NULL;
        cache.bytes = want;
        if (cache_key_ok) (void)pthread_setspecific(cache_key, cache.p);
    }
    cache.busy = true;
    return cache.p;
}

void sm__scratch_free(void *p)
{
    if (p && p == cache.p)
        cache.busy = false;
    else
        free(p);
}

void sm_free_thread_cache(void)
{
    if (!cache.busy) cache_drop();
}

ptrdiff_t sm__find_bad_index(const void *idx, sm_index_type t, size_t count, uint64_t limit)
{
    /* Whether any index is bad first, in 32-bit compares that the compiler
     * vectorises with the baseline's SSE2 (16384 indices, ns an index, int32
     * / int64: 0.15 / 0.16, against 0.50 / 0.35 comparing each as a 64-bit
     * value: 7 % of sm_gather_rows's time at 256-byte rows); then where. */
    bool any = true; /* limits of 2^32 and more: the 64-bit search below is the only pass */
    if (t == SM_INDEX_I32) {
        /* Negatives are 2^31 and more as uint32; limits from 2^31 on let
         * every non-negative index through. */
        const int32_t *v = idx;
        uint32_t lim = limit > 0x80000000u ? 0x80000000u : (uint32_t)limit, acc = 0;
        for (size_t i = 0; i < count; i++) acc |= (uint32_t)v[i] >= lim;
        any = acc;
    } else if (limit <= UINT32_MAX) {
        /* In [0, limit) exactly when the high half is 0 and the low is below. */
        const int64_t *v = idx;
        uint64_t hi = 0;
        uint32_t lim = (uint32_t)limit, lo = 0;
        for (size_t i = 0; i < count; i++) {
            uint64_t x = (uint64_t)v[i];
            hi |= x >> 32;
            lo |= (uint32_t)x >= lim;
        }
        any = hi || lo;
    }
    if (!any) return -1;
    /* One unsigned compare catches negatives too. */
    for (size_t i = 0; i < count; i++)
        if ((uint64_t)sm__index_at(idx, t, i) >= limit) return (ptrdiff_t)i;
    return -1;
}
