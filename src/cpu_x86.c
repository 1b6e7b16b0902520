/* x86 feature detection: cpuid for what the CPU has, xgetbv for what the OS
 * saves on a context switch (AVX needs XCR0 bits 1-2, AVX-512 bits 5-7 too). */
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t sm__detect_cpu_features(void)
{
    uint32_t a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & (1u << 19)) f |= SM_CPU_SSE41;
    if (c & (1u << 20)) f |= SM_CPU_SSE42;
    if (c & (1u << 23)) f |= SM_CPU_POPCNT;
    bool osxsave = c & (1u << 27);
    bool avx = c & (1u << 28), fma = c & (1u << 12);
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    bool ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xE6) == 0xE6;
    if (avx && ymm) f |= SM_CPU_AVX;
    if (fma && ymm) f |= SM_CPU_FMA;
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if ((b & (1u << 5)) && ymm) f |= SM_CPU_AVX2;
        if (b & (1u << 8)) f |= SM_CPU_BMI2;
        if (zmm) {
            if (b & (1u << 16)) f |= SM_CPU_AVX512F;
            if (b & (1u << 17)) f |= SM_CPU_AVX512DQ;
            if (b & (1u << 30)) f |= SM_CPU_AVX512BW;
            if (b & (1u << 31)) f |= SM_CPU_AVX512VL;
            if (c & (1u << 6)) f |= SM_CPU_AVX512VBMI2;
        }
    }
    return f;
}
#endif
