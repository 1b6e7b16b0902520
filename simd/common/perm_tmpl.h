/* Inverse permutation, mask, widening over the vector layer (include after
 * <isa>/vec.h). */

/* inv[perm[j]] = j: a scatter. Plain stores unrolled by 8: Zen 4 retires
 * two stores a cycle, and AVX-512's vpscatterdd was slower at every length
 * (see avx512/kernels.c). The scalar backend's loop is the same but built
 * without unrolling: L=196 0.40 ns/element there, 0.16 here. */
static inline void inverse_perm_scalar8(const uint32_t *perm, size_t l, uint32_t *inv)
{
    size_t j = 0;
    for (; j + 8 <= l; j += 8) {
        uint32_t a0 = perm[j], a1 = perm[j + 1], a2 = perm[j + 2], a3 = perm[j + 3];
        uint32_t a4 = perm[j + 4], a5 = perm[j + 5], a6 = perm[j + 6], a7 = perm[j + 7];
        inv[a0] = (uint32_t)j, inv[a1] = (uint32_t)j + 1, inv[a2] = (uint32_t)j + 2, inv[a3] = (uint32_t)j + 3;
        inv[a4] = (uint32_t)j + 4, inv[a5] = (uint32_t)j + 5, inv[a6] = (uint32_t)j + 6, inv[a7] = (uint32_t)j + 7;
    }
    for (; j < l; j++) inv[perm[j]] = (uint32_t)j;
}

static void mask_f32(const uint32_t *restore, size_t l, uint32_t len_keep, float *mask)
{
    const smv keep = smv_set1(len_keep), one = smv_set1(0x3F800000u); /* 1.0f */
    size_t i = 0;
    for (; i + SMV_W <= l; i += SMV_W)
        smv_store(mask + i, smv_and(smv_ge_u32(smv_load(restore + i), keep), one));
    for (; i < l; i++) mask[i] = restore[i] < len_keep ? 0.0f : 1.0f;
}

static void mask_u8(const uint32_t *restore, size_t l, uint32_t len_keep, uint8_t *mask)
{
    const smv keep = smv_set1(len_keep), one = smv_set1(1);
    size_t i = 0;
    for (; i + SMV_W <= l; i += SMV_W)
        smv_store_u8(mask + i, smv_and(smv_ge_u32(smv_load(restore + i), keep), one));
    for (; i < l; i++) mask[i] = restore[i] < len_keep ? 0 : 1;
}

static void widen_u32_i64(const uint32_t *in, size_t count, int64_t *out)
{
    size_t i = 0;
    for (; i + SMV_W <= count; i += SMV_W) smv_store_widen(out + i, smv_load(in + i));
    for (; i < count; i++) out[i] = in[i];
}
