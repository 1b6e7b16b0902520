/* mt19937 as PyTorch's CPU generator draws torch.rand floats, over the
 * vector layer (include after <isa>/vec.h).
 *
 * The twist mt[i] = mt[i + 397] ^ f(mt[i], mt[i + 1]) runs in place in index
 * order. For i < 227 every input is still the old value; from i = 227 on,
 * mt[i + 397 - 624] = mt[i - 227] is a new value written 227 >= SMV_W
 * positions earlier, so SMV_W lanes never depend on each other and each
 * phase is a plain vector loop over stored memory. What does not fill a
 * vector (3 words at 227, the last (397 % SMV_W) words whose mt[i + 1] wraps
 * to the new mt[0]) runs scalar. Tempering is element-wise. */
#define MT_N 624
#define MT_M 397
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7FFFFFFFu
#define MT_A 0x9908B0DFu

static inline uint32_t mt_one(uint32_t a, uint32_t b, uint32_t m)
{
    uint32_t y = (a & MT_UPPER) | (b & MT_LOWER);
    return m ^ (y >> 1) ^ ((y & 1) ? MT_A : 0);
}

static inline smv mt_vec(smv a, smv b, smv m)
{
    const smv upper = smv_set1(MT_UPPER), mat = smv_set1(MT_A);
    smv y = smv_bitsel(upper, a, b);
    smv odd = smv_srai32(smv_slli32(y, 31), 31); /* all ones where y is odd */
    return smv_xor3(m, smv_srli32(y, 1), smv_and(odd, mat));
}

static void mt_twist(uint32_t *mt)
{
    int i = 0;
    for (; i + SMV_W <= MT_N - MT_M; i += SMV_W)
        smv_store(mt + i, mt_vec(smv_load(mt + i), smv_load(mt + i + 1), smv_load(mt + i + MT_M)));
    for (; i < MT_N - MT_M; i++) mt[i] = mt_one(mt[i], mt[i + 1], mt[i + MT_M]);
    for (; i + SMV_W < MT_N; i += SMV_W)
        smv_store(mt + i, mt_vec(smv_load(mt + i), smv_load(mt + i + 1), smv_load(mt + (i - (MT_N - MT_M)))));
    for (; i < MT_N; i++) mt[i] = mt_one(mt[i], mt[(i + 1) % MT_N], mt[i - (MT_N - MT_M)]);
}

static inline smv mt_temper(smv y)
{
    y = smv_xor(y, smv_srli32(y, 11));
    y = smv_xor_and(y, smv_slli32(y, 7), smv_set1(0x9D2C5680u));
    y = smv_xor_and(y, smv_slli32(y, 15), smv_set1(0xEFC60000u));
    y = smv_xor(y, smv_srli32(y, 18));
    return smv_and(y, smv_set1(0xFFFFFFu));
}

/* n tempered words from w as floats; the tail goes through a buffer. */
static inline void mt_emit(const uint32_t *w, size_t n, float *out)
{
    size_t j = 0;
    for (; j + 2 * SMV_W <= n; j += 2 * SMV_W) {
        smv a = smv_load(w + j), b = smv_load(w + j + SMV_W);
        smv_store_u24f(out + j, mt_temper(a));
        smv_store_u24f(out + j + SMV_W, mt_temper(b));
    }
    for (; j + SMV_W <= n; j += SMV_W) smv_store_u24f(out + j, mt_temper(smv_load(w + j)));
    if (j < n) {
        uint32_t in[SMV_W] = { 0 };
        float tmp[SMV_W];
        memcpy(in, w + j, (n - j) * 4);
        smv_store_u24f(tmp, mt_temper(smv_load(in)));
        memcpy(out + j, tmp, (n - j) * 4);
    }
}

static void mt_uniform(uint32_t *mt, uint32_t *mti, float *out, size_t count)
{
    uint32_t i = *mti;
    while (count) {
        if (i >= MT_N) {
            mt_twist(mt);
            i = 0;
        }
        size_t n = MT_N - i < count ? MT_N - i : count;
        mt_emit(mt + i, n, out);
        out += n, count -= n, i += (uint32_t)n;
    }
    *mti = i;
}
