/* Shared by the fuzz harnesses: an input reader, canary-filled buffers,
 * the list of backends this CPU runs, and a check that aborts with a message
 * (libFuzzer and the corpus replay both report an abort as a finding).
 *
 * Every harness decodes its input the same way under libFuzzer and under the
 * replay driver (replay.c), so a committed corpus file reproduces exactly. */
#ifndef SM_FUZZ_COMMON_H
#define SM_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simdmask.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond, ...)                                                          \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                            \
            fprintf(stderr, " (backend %s, last error \"%s\")\n", sm_backend_active(), \
                    sm_last_error());                                                \
            abort();                                                                 \
        }                                                                            \
    } while (0)

/* ------------------------------------------------------------ input reader */

/* Reads little-endian fields; past the end every byte reads as 0, so any
 * input, even empty, decodes to some call. */
typedef struct fz_in {
    const uint8_t *p;
    size_t n, i;
} fz_in;

static inline uint64_t fz_bits(fz_in *f, int bytes)
{
    uint64_t v = 0;
    for (int b = 0; b < bytes; b++) v |= (uint64_t)(f->i < f->n ? f->p[f->i++] : 0) << (8 * b);
    return v;
}

static inline uint8_t fz_u8(fz_in *f)
{
    return (uint8_t)fz_bits(f, 1);
}

/* A value in [lo, hi] from `bytes` bytes. */
static inline uint64_t fz_range(fz_in *f, int bytes, uint64_t lo, uint64_t hi)
{
    uint64_t v = fz_bits(f, bytes);
    return hi - lo == UINT64_MAX ? v : lo + v % (hi - lo + 1);
}

/* The bytes not read yet, as a cyclic pool for bulk data: element i of a
 * long array takes pool bytes from (i * width) modulo the pool, so a short
 * input fills 70,000 keys with a repeating (tie-rich) pattern. */
typedef struct fz_pool {
    const uint8_t *p;
    size_t n;
} fz_pool;

static inline fz_pool fz_rest(const fz_in *f)
{
    fz_pool p = { f->p + (f->i < f->n ? f->i : f->n), f->i < f->n ? f->n - f->i : 0 };
    return p;
}

static inline uint8_t fz_pool_byte(const fz_pool *p, size_t i)
{
    return p->n ? p->p[i % p->n] : 0;
}

static inline uint32_t fz_pool_u32(const fz_pool *p, size_t i)
{
    uint32_t v = 0;
    for (int b = 0; b < 4; b++) v |= (uint32_t)fz_pool_byte(p, 4 * i + (size_t)b) << (8 * b);
    return v;
}

/* Floats the order rules are about: NaNs with payloads and both signs,
 * signed zeros, infinities, denormals, the extremes. */
static inline float fz_special_float(unsigned i)
{
    static const uint32_t bits[16] = {
        0x7FC00000u, /* NaN */
        0x7F800001u, /* signalling NaN, payload 1 */
        0xFFC01234u, /* negative NaN with a payload */
        0x7FFFFFFFu, /* NaN, all payload bits */
        0x00000000u, /* +0 */
        0x80000000u, /* -0 */
        0x7F800000u, /* +inf */
        0xFF800000u, /* -inf */
        0x00000001u, /* smallest denormal */
        0x80000001u, /* its negative */
        0x007FFFFFu, /* largest denormal */
        0x00800000u, /* FLT_MIN */
        0x3F800000u, /* 1 */
        0xBF800000u, /* -1 */
        0x7F7FFFFFu, /* FLT_MAX */
        0x3F7FFFFFu, /* largest float below 1 */
    };
    union { uint32_t u; float f; } v = { bits[i % 16] };
    return v.f;
}

static inline float fz_float_from_bits(uint32_t u)
{
    union { uint32_t u; float f; } v = { u };
    return v.f;
}

static inline uint32_t fz_float_bits(float f)
{
    union { float f; uint32_t u; } v = { f };
    return v.u;
}

/* PyTorch's sort order, written independently of the library: every NaN
 * equals every other and is above +inf; -0 == +0 (C's == already says so). */
static inline int fz_cmp_torch(float a, float b)
{
    int na = a != a, nb = b != b;
    if (na || nb) return na - nb;
    return (a > b) - (a < b);
}

/* ------------------------------------------------------- canary buffers */

/* A heap buffer of exactly `bytes` bytes starting `misalign` bytes past a
 * malloc'd (16-aligned) address: ASan catches a write one byte past the end,
 * and a misaligned start exercises unaligned access. */
typedef struct fz_buf {
    void *base;
    unsigned char *p;
    size_t bytes;
} fz_buf;

static inline uint8_t fz_canary_byte(size_t i)
{
    /* Position-dependent, so that a shifted copy of the canary is noticed. */
    return (uint8_t)(0xA5u ^ (uint8_t)(i * 151u) ^ (uint8_t)(i >> 8));
}

static inline fz_buf fz_alloc(size_t bytes, size_t misalign)
{
    fz_buf b;
    b.base = malloc(bytes + misalign ? bytes + misalign : 1);
    FZ_CHECK(b.base != NULL, "malloc(%zu)", bytes + misalign);
    b.p = (unsigned char *)b.base + misalign;
    b.bytes = bytes;
    for (size_t i = 0; i < bytes; i++) b.p[i] = fz_canary_byte(i);
    return b;
}

static inline void fz_recanary(fz_buf *b)
{
    for (size_t i = 0; i < b->bytes; i++) b->p[i] = fz_canary_byte(i);
}

static inline bool fz_is_canary(const fz_buf *b)
{
    for (size_t i = 0; i < b->bytes; i++)
        if (b->p[i] != fz_canary_byte(i)) return false;
    return true;
}

static inline void fz_free(fz_buf *b)
{
    free(b->base);
    b->base = NULL;
    b->p = NULL;
}

/* ------------------------------------------------------------- backends */

/* Backends this CPU runs, scalar last (the library lists best first and
 * scalar is always compiled in). Returns how many; names in out[]. */
static inline size_t fz_backends(const char **out, size_t max)
{
    size_t c = 0;
    for (size_t i = 0; i < sm_backend_count() && c < max; i++)
        if (sm_backend_supported(i)) out[c++] = sm_backend_name(i);
    FZ_CHECK(c > 0 && strcmp(out[c - 1], "scalar") == 0, "scalar is not the last backend");
    return c;
}

static inline void fz_use(const char *backend)
{
    sm_status st = sm_backend_set(backend);
    FZ_CHECK(st == SM_OK, "sm_backend_set(%s) = %d", backend, (int)st);
}

#define FZ_MAX_BACKENDS 16

#endif
