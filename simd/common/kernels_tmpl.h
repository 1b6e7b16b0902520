/* Every vector kernel of one x86 backend. An <isa>/kernels.c includes its
 * vec.h, then this, then fills its table with SMV_COMMON_SLOTS and the slots
 * it chooses itself. */
#include "simdmask.h"
#include "kernels.h"

#include "common/philox_tmpl.h"
#include "common/mt_tmpl.h"
#include "common/perm_tmpl.h"
#include "common/gather_tmpl.h"

/* The plain-store row gathers a backend's table holds: this ISA's own unless
 * the backend defines a per-size choice before including this file. */
#ifndef SMV_GATHER_ROWS_U32
#define SMV_GATHER_ROWS_U32 gather_rows_u32
#define SMV_GATHER_ROWS_I64 gather_rows_i64
#endif

/* The slots every x86 backend fills the same way (each table points its
 * argsort slots at its own <isa>/argsort.c). */
#define SMV_COMMON_SLOTS                            \
    .philox_rows = philox_rows,                     \
    .mt_uniform = mt_uniform,                       \
    .mask_f32 = mask_f32,                           \
    .mask_u8 = mask_u8,                             \
    .widen_u32_i64 = widen_u32_i64,                 \
    .gather_rows_u32 = SMV_GATHER_ROWS_U32,         \
    .gather_rows_i64 = SMV_GATHER_ROWS_I64,         \
    .unshuffle_u32 = unshuffle_u32,                 \
    .unshuffle_i64 = unshuffle_i64,                 \
    .gather_rows_u32_nt = gather_rows_u32_nt,       \
    .gather_rows_i64_nt = gather_rows_i64_nt,       \
    .unshuffle_u32_nt = unshuffle_u32_nt,           \
    .unshuffle_i64_nt = unshuffle_i64_nt
