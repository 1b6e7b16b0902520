/* Philox4x32-10 rows over the vector layer (include after <isa>/vec.h).
 *
 * Layout: a pair of vectors (X, Y) holds SMV_W / 2 blocks; each 64-bit lane
 * of X is one block's (c0 | c1 << 32) and the same lane of Y its (c2 | c3 << 32).
 * Then one vpmuludq gives a whole 64-bit product per block (X x M0 = c0 * M0,
 * Y x M1 = c2 * M1), no widening or blending, and a round is
 *     X' = swap32((Y * M1) ^hi X ^hi (0, k0))  -> (hi1 ^ c1 ^ k0, lo1)
 *     Y' = swap32((X * M0) ^hi Y ^hi (0, k1))  -> (hi0 ^ c3 ^ k1, lo0)
 * where ^hi xors the high 32-bit halves only (c1 and c3 are already there):
 * 6 instructions per pair and round with AVX-512's merge-masked vpternlogd,
 * against 8 with a shift to bring c1 and c3 down (Zen 4, rows of 1568:
 * 0.444 -> 0.356 ns/float, see README).
 * 128-bit lane i of a pair holds blocks i and i + SMV_W / 4, so unpacklo64
 * (X, Y) is blocks 0 .. SMV_W/4 - 1 in order and unpackhi64 the next ones:
 * 2 x SMV_W floats stored straight, no transpose.
 * PHILOX_U pairs run side by side to hide the multiply's latency (a round is
 * a 5-cycle chain: vpmuludq 3, ternlog 1, shuffle 1). AVX-512 has the
 * registers for 8 pairs, and a row of up to 256 floats is then one batch:
 * Zen 4, time_kernels noise, two runs, U = 4 -> 8: L=196 0.53 -> 0.47
 * ns/float, L=49 0.94 -> 0.67, L=8 4.3 -> 2.5, L=1568 0.357 -> 0.35. AVX2's
 * 16 registers hold 4 pairs. The tail's switch below lists 1 .. PHILOX_U - 1. */
#if SMV_W >= 16
#define PHILOX_U 8
#else
#define PHILOX_U 4
#endif

#define PHX_M0 0xD2511F53u
#define PHX_M1 0xCD9E8D57u
#define PHX_W0 0x9E3779B9u
#define PHX_W1 0xBB67AE85u

/* Blocks per pair and the offset of each 64-bit lane's block. */
#define PHX_BLOCKS (SMV_W / 2)

static inline smv phx_lane_offsets(void)
{
    uint32_t o[SMV_W];
    for (int j = 0; j < SMV_W / 2; j++) {
        o[2 * j] = (uint32_t)(j / 2 + (j % 2) * (SMV_W / 4));
        o[2 * j + 1] = 0;
    }
    return smv_load(o);
}

/* np pairs (1 .. PHILOX_U) from block b0 on: 2 * SMV_W * np floats to out. */
static inline __attribute__((always_inline)) void phx_blocks(int np, uint32_t b0, smv x0, smv y0, smv offs, uint32_t k0, uint32_t k1,
                              float *out)
{
    const smv m0 = smv_set1_64(PHX_M0), m1 = smv_set1_64(PHX_M1);
    smv x[PHILOX_U], y[PHILOX_U];
    for (int p = 0; p < np; p++) {
        x[p] = smv_add32(x0, smv_add32(offs, smv_set1_64(b0 + (uint32_t)(p * PHX_BLOCKS))));
        y[p] = y0;
    }
    /* The keys in the high halves, where the products' high words are. */
    smv kx = smv_set1_64((uint64_t)k0 << 32), ky = smv_set1_64((uint64_t)k1 << 32);
    const smv wx = smv_set1_64((uint64_t)PHX_W0 << 32), wy = smv_set1_64((uint64_t)PHX_W1 << 32);
    for (int r = 0; r < 10; r++) {
        for (int p = 0; p < np; p++) {
            smv p0 = smv_mul_epu32(x[p], m0), p1 = smv_mul_epu32(y[p], m1);
            x[p] = smv_swap32(smv_xor3_hi32(p1, x[p], kx));
            y[p] = smv_swap32(smv_xor3_hi32(p0, y[p], ky));
        }
        kx = smv_add32(kx, wx);
        ky = smv_add32(ky, wy);
    }
    for (int p = 0; p < np; p++) {
        smv lo = smv_unpacklo64(x[p], y[p]), hi = smv_unpackhi64(x[p], y[p]);
        smv_store_u24f(out + 2 * SMV_W * p, smv_srli32(lo, 8));
        smv_store_u24f(out + 2 * SMV_W * p + SMV_W, smv_srli32(hi, 8));
    }
}

static void philox_rows(uint64_t seed, uint32_t stream, uint64_t row, size_t n_rows, size_t l,
                        float *out)
{
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    const smv offs = phx_lane_offsets();
    const size_t chunk = 2 * SMV_W; /* floats per pair */
    for (size_t r = 0; r < n_rows; r++, row++) {
        float *o = out + r * l;
        /* x0: (block 0, stream); y0: (row lo, row hi) in every 64-bit lane.
         * Block numbers wrap at 2^32 like the scalar's (uint32_t) cast. */
        const smv x0 = smv_set1_64((uint64_t)stream << 32), y0 = smv_set1_64(row);
        size_t c = 0;
        for (; c + PHILOX_U * chunk <= l; c += PHILOX_U * chunk)
            phx_blocks(PHILOX_U, (uint32_t)(c / 4), x0, y0, offs, k0, k1, o + c);
        if (c < l) {
            /* Tail: the fewest pairs that cover it, through a buffer. */
            float tmp[PHILOX_U * 2 * SMV_W];
            size_t rest = l - c;
            int np = (int)((rest + chunk - 1) / chunk);
            float *dst = (size_t)np * chunk == rest ? o + c : tmp;
            uint32_t b = (uint32_t)(c / 4);
            /* Constant pair counts so that each call unrolls fully. */
            switch (np) {
            case 1: phx_blocks(1, b, x0, y0, offs, k0, k1, dst); break;
            case 2: phx_blocks(2, b, x0, y0, offs, k0, k1, dst); break;
            case 3: phx_blocks(3, b, x0, y0, offs, k0, k1, dst); break;
#if PHILOX_U > 4
            case 4: phx_blocks(4, b, x0, y0, offs, k0, k1, dst); break;
            case 5: phx_blocks(5, b, x0, y0, offs, k0, k1, dst); break;
            case 6: phx_blocks(6, b, x0, y0, offs, k0, k1, dst); break;
            case 7: phx_blocks(7, b, x0, y0, offs, k0, k1, dst); break;
#endif
            default: phx_blocks(PHILOX_U, b, x0, y0, offs, k0, k1, dst); break;
            }
            if (dst == tmp) memcpy(o + c, tmp, rest * sizeof(float));
        }
    }
}
