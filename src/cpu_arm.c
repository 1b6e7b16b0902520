/* aarch64 feature detection: NEON (Advanced SIMD) is part of the base ISA;
 * SVE and SVE2 are announced by the kernel in AT_HWCAP / AT_HWCAP2. */
#include "internal.h"

#if defined(__aarch64__)
#include <sys/auxv.h>

#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif
#ifndef HWCAP_SVE
#define HWCAP_SVE (1UL << 22)
#endif
#ifndef HWCAP2_SVE2
#define HWCAP2_SVE2 (1UL << 1)
#endif

uint32_t sm__detect_cpu_features(void)
{
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    uint32_t f = SM_CPU_NEON;
    if (!(hw & HWCAP_ASIMD)) f = 0;
    if (hw & HWCAP_SVE) f |= SM_CPU_SVE;
    if (hw2 & HWCAP2_SVE2) f |= SM_CPU_SVE2;
    return f;
}
#elif !defined(__x86_64__) && !defined(__i386__)
uint32_t sm__detect_cpu_features(void)
{
    return 0;
}
#endif
