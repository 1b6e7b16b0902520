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

void *sm__scratch(int threads, size_t bytes, size_t *stride)
{
    size_t s = (bytes + 63) & ~(size_t)63, total;
    if (s < bytes || !sm__mul(s, (size_t)threads, &total)) return NULL;
    *stride = s;
    return aligned_alloc(64, total ? total : 64);
}

void sm__scratch_free(void *p)
{
    free(p);
}

ptrdiff_t sm__find_bad_index(const void *idx, sm_index_type t, size_t count, uint64_t limit)
{
    /* One unsigned compare catches negatives too. */
    if (t == SM_INDEX_I32) {
        const int32_t *v = idx;
        uint32_t acc = 0;
        for (size_t i = 0; i < count; i++) acc |= (uint64_t)(int64_t)v[i] >= limit;
        if (!acc) return -1;
        for (size_t i = 0; i < count; i++)
            if ((uint64_t)(int64_t)v[i] >= limit) return (ptrdiff_t)i;
    } else {
        const int64_t *v = idx;
        uint32_t acc = 0;
        for (size_t i = 0; i < count; i++) acc |= (uint64_t)v[i] >= limit;
        if (!acc) return -1;
        for (size_t i = 0; i < count; i++)
            if ((uint64_t)v[i] >= limit) return (ptrdiff_t)i;
    }
    return -1;
}
