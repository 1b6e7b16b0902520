/* The benchmark suite's arbitrary float keys (bench/floats.c). */
#ifndef BENCH_FLOATS_H
#define BENCH_FLOATS_H

#include <stddef.h>
#include <stdint.h>

/* count floats from seed: both signs, magnitudes log-uniform over 2^-20 ..
 * 2^20, 1 in 64 a repeat of an earlier one, 1 in 512 each NaN, -0.0, +0.0. */
void bench_floats(float *out, size_t count, uint64_t seed);

#endif
