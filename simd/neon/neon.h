/* Shared by the files of the NEON backend (simd/neon/). */
#ifndef SIMDMASK_NEON_H
#define SIMDMASK_NEON_H

#include <stddef.h>
#include <stdint.h>

void sm__neon_argsort_noise(const float *noise, size_t l, uint32_t *idx, void *scratch);
void sm__neon_argsort_f32(const float *keys, size_t l, int descending, uint32_t *idx,
                          void *scratch);

#endif
