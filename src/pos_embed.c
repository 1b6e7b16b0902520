/* MAE's sin-cos position embeddings, computed in double with the operations
 * of its numpy code (omega = 1 / 10000 ** (k / (D / 2)), pos * omega, sin,
 * cos) so that the float64 result is numpy's up to the last ulp of libm's
 * pow/sin/cos (glibc here; numpy may use its own SIMD versions: tests allow
 * 1e-15 absolute, values are in [-1, 1]). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "work.h"

/* One row of get_1d_sincos_pos_embed_from_grid(dim, pos) at out[0 .. dim). */
static void row_1d(size_t dim, double pos, const double *omega, double *out)
{
    size_t half = dim / 2;
    for (size_t k = 0; k < half; k++) {
        double a = pos * omega[k];
        out[k] = sin(a);
        out[half + k] = cos(a);
    }
}

static void omegas(size_t dim, double *omega)
{
    /* np.arange(dim // 2, dtype=float); omega /= dim / 2.; 1. / 10000**omega */
    for (size_t k = 0; k < dim / 2; k++) omega[k] = 1.0 / pow(10000.0, (double)k / ((double)dim / 2.0));
}

static void store(void *out, sm_float_type type, size_t at, const double *v, size_t count)
{
    if (type == SM_F64)
        memcpy((double *)out + at, v, count * sizeof(double));
    else
        for (size_t i = 0; i < count; i++) ((float *)out)[at + i] = (float)v[i];
}

static sm_status check_common(size_t embed_dim, size_t rows, sm_float_type type, const void *out,
                              double **buf)
{
    if (!out) return sm__fail(SM_EINVAL, "out is NULL");
    if (type != SM_F64 && type != SM_F32)
        return sm__fail(SM_EINVAL, "unknown float type %d", (int)type);
    sm_status st = sm__check_align("out", out, type == SM_F64 ? 8 : 4);
    if (st) return st;
    size_t count;
    if (!sm__mul(rows, embed_dim, &count) || !sm__mul(count, 8, &count))
        return sm__fail(SM_EOVERFLOW, "%zu rows x %zu dims overflows size_t", rows, embed_dim);
    *buf = malloc(embed_dim * 2 * sizeof(double)); /* omegas + one row */
    if (!*buf) return sm__fail(SM_ENOMEM, "cannot allocate %zu doubles", embed_dim * 2);
    return SM_OK;
}

sm_status sm_pos_embed_2d(size_t embed_dim, size_t grid_h, size_t grid_w, int cls_token,
                          sm_float_type type, void *out)
{
    if (embed_dim == 0 || embed_dim % 4)
        return sm__fail(SM_EINVAL, "embed_dim %zu must be a positive multiple of 4", embed_dim);
    if (grid_h == 0 || grid_w == 0)
        return sm__fail(SM_EINVAL, "grid %zu x %zu must be positive", grid_h, grid_w);
    size_t cells, rows;
    if (!sm__mul(grid_h, grid_w, &cells) || (rows = cells + (cls_token != 0)) < cells)
        return sm__fail(SM_EOVERFLOW, "grid %zu x %zu overflows size_t", grid_h, grid_w);
    double *buf = NULL;
    sm_status st = check_common(embed_dim, rows, type, out, &buf);
    if (st) return st;
    size_t half = embed_dim / 2;
    double *omega = buf, *row = buf + half;
    omegas(half, omega);
    size_t at = 0;
    if (cls_token) {
        memset(row, 0, embed_dim * sizeof(double));
        store(out, type, 0, row, embed_dim);
        at = embed_dim;
    }
    for (size_t i = 0; i < grid_h; i++)
        for (size_t j = 0; j < grid_w; j++, at += embed_dim) {
            /* meshgrid(grid_w, grid_h): the first half encodes the column j */
            row_1d(half, (double)j, omega, row);
            row_1d(half, (double)i, omega, row + half);
            store(out, type, at, row, embed_dim);
        }
    free(buf);
    return SM_OK;
}

sm_status sm_pos_embed_1d(size_t embed_dim, const double *pos, size_t m, sm_float_type type,
                          void *out)
{
    if (embed_dim == 0 || embed_dim % 2)
        return sm__fail(SM_EINVAL, "embed_dim %zu must be a positive even number", embed_dim);
    if (m == 0) return sm__fail(SM_EINVAL, "m must be positive");
    sm_status st = sm__check_align("pos", pos, 8);
    if (st) return st;
    double *buf = NULL;
    st = check_common(embed_dim, m, type, out, &buf);
    if (st) return st;
    size_t bytes = m * embed_dim * (type == SM_F64 ? 8 : 4);
    if (pos && sm__overlap(pos, m * sizeof(double), out, bytes)) {
        free(buf);
        return sm__fail(SM_EALIAS, "out overlaps pos");
    }
    double *omega = buf, *row = buf + embed_dim;
    omegas(embed_dim, omega);
    for (size_t r = 0; r < m; r++) {
        row_1d(embed_dim, pos ? pos[r] : (double)r, omega, row);
        store(out, type, r * embed_dim, row, embed_dim);
    }
    free(buf);
    return SM_OK;
}
