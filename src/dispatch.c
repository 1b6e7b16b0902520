/* Backend table and selection. The active table is an atomic pointer chosen
 * on first use: no constructor, no lock, no detection per call. Two threads
 * racing through the first call both compute the same choice. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Best first: the first supported entry is the automatic choice. */
static const struct sm_kernels *const backends[] = {
#ifdef SM_HAVE_AVX512
    &sm__kernels_avx512,
#endif
#ifdef SM_HAVE_AVX2
    &sm__kernels_avx2,
#endif
#ifdef SM_HAVE_SSE4
    &sm__kernels_sse4,
#endif
#ifdef SM_HAVE_NEON
    &sm__kernels_neon,
#endif
    &sm__kernels_scalar,
};
#define N_BACKENDS (sizeof backends / sizeof backends[0])

enum { REASON_AUTO, REASON_ENV, REASON_SET };
static const char *const reasons[] = { "auto", "SIMDMASK_BACKEND", "sm_backend_set" };

static _Atomic(const struct sm_kernels *) active;
static _Atomic int active_reason;
static _Atomic uint32_t cpu_features; /* bit 31 set once detected */

#define FEATURES_KNOWN (1u << 31)

uint32_t sm_cpu_features(void)
{
    uint32_t f = atomic_load_explicit(&cpu_features, memory_order_relaxed);
    if (!(f & FEATURES_KNOWN)) {
        f = sm__detect_cpu_features() | FEATURES_KNOWN;
        atomic_store_explicit(&cpu_features, f, memory_order_relaxed);
    }
    return f & ~FEATURES_KNOWN;
}

bool sm__supported(const struct sm_kernels *k)
{
    return (sm_cpu_features() & k->required) == k->required;
}

size_t sm__backend_count(void)
{
    return N_BACKENDS;
}

const struct sm_kernels *sm__backend(size_t i)
{
    return i < N_BACKENDS ? backends[i] : NULL;
}

static const struct sm_kernels *find(const char *name)
{
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (strcmp(backends[i]->name, name) == 0) return backends[i];
    return NULL;
}

static const struct sm_kernels *best(void)
{
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (sm__supported(backends[i])) return backends[i];
    return &sm__kernels_scalar;
}

/* First use: SIMDMASK_BACKEND if it names a supported backend, else the best.
 * An unusable SIMDMASK_BACKEND falls back to auto; sm_backend_reason() then
 * says "auto", which is how callers (and the tests) notice. */
static const struct sm_kernels *select_backend(void)
{
    const char *env = getenv("SIMDMASK_BACKEND");
    const struct sm_kernels *k = NULL;
    int reason = REASON_AUTO;
    if (env && *env && strcmp(env, "auto") != 0) {
        k = find(env);
        if (k && sm__supported(k))
            reason = REASON_ENV;
        else
            k = NULL;
    }
    if (!k) k = best();
    const struct sm_kernels *expected = NULL;
    atomic_store(&active_reason, reason);
    if (!atomic_compare_exchange_strong(&active, &expected, k)) return expected;
    return k;
}

const struct sm_kernels *sm__active(void)
{
    const struct sm_kernels *k = atomic_load_explicit(&active, memory_order_acquire);
    return k ? k : select_backend();
}

size_t sm_backend_count(void)
{
    return N_BACKENDS;
}

const char *sm_backend_name(size_t i)
{
    return i < N_BACKENDS ? backends[i]->name : NULL;
}

int sm_backend_supported(size_t i)
{
    return i < N_BACKENDS && sm__supported(backends[i]);
}

sm_status sm_backend_set(const char *name)
{
    if (name == NULL || strcmp(name, "auto") == 0) {
        atomic_store(&active_reason, REASON_AUTO);
        atomic_store(&active, best());
        return SM_OK;
    }
    const struct sm_kernels *k = find(name);
    if (!k) return sm__fail(SM_ENOTFOUND, "no backend named \"%.64s\" is compiled in", name);
    if (!sm__supported(k))
        return sm__fail(SM_EUNSUPPORTED, "backend \"%s\" is not supported by this CPU", k->name);
    atomic_store(&active_reason, REASON_SET);
    atomic_store(&active, k);
    return SM_OK;
}

const char *sm_backend_active(void)
{
    return sm__active()->name;
}

const char *sm_backend_reason(void)
{
    sm__active();
    return reasons[atomic_load(&active_reason)];
}

const char *sm_cpu_feature_name(uint32_t bit)
{
    switch (bit) {
    case SM_CPU_SSE41: return "sse4.1";
    case SM_CPU_SSE42: return "sse4.2";
    case SM_CPU_POPCNT: return "popcnt";
    case SM_CPU_AVX: return "avx";
    case SM_CPU_AVX2: return "avx2";
    case SM_CPU_FMA: return "fma";
    case SM_CPU_BMI2: return "bmi2";
    case SM_CPU_AVX512F: return "avx512f";
    case SM_CPU_AVX512BW: return "avx512bw";
    case SM_CPU_AVX512VL: return "avx512vl";
    case SM_CPU_AVX512DQ: return "avx512dq";
    case SM_CPU_AVX512VBMI2: return "avx512vbmi2";
    case SM_CPU_NEON: return "neon";
    case SM_CPU_SVE: return "sve";
    case SM_CPU_SVE2: return "sve2";
    }
    return NULL;
}
