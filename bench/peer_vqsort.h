/* Highway's vqsort for the argsort peers, behind a C function (Highway is
 * C++ only; peer_vqsort.cc is the shim). */
#ifndef PEER_VQSORT_H
#define PEER_VQSORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sorts keys[n] ascending in place. Packed (key << 32 | index) values make
 * this a stable argsort: equal keys are ordered by their index. */
void peer_vqsort_u64(uint64_t *keys, size_t n);

#ifdef __cplusplus
}
#endif

#endif
