/* A small reader of the golden .txt files for test_seeds.c (format:
 * tests/golden/README.md): every tensor's values as double (f32 and f64 read
 * exactly by strtod) and as int64, params as text. */
#ifndef SM_SEEDS_GOLDEN_H
#define SM_SEEDS_GOLDEN_H

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sg_tensor {
    char name[64], dtype[8];
    int ndim;
    int64_t shape[8];
    size_t numel;
    double *v;
    int64_t *i;
} sg_tensor;

typedef struct sg_file {
    int n_t, n_p;
    sg_tensor t[16];
    char pkey[32][64], pval[32][64];
} sg_file;

static inline sg_file *sg_load(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    sg_file *g = calloc(1, sizeof *g);
    char tok[128];
    while (fscanf(f, "%127s", tok) == 1) {
        if (tok[0] == '#') {
            int ch;
            while ((ch = fgetc(f)) != '\n' && ch != EOF) {}
        } else if (!strcmp(tok, "case")) {
            if (fscanf(f, "%127s", tok) != 1) break;
        } else if (!strcmp(tok, "param") && g->n_p < 32) {
            if (fscanf(f, "%63s %63s", g->pkey[g->n_p], g->pval[g->n_p]) != 2) break;
            g->n_p++;
        } else if (!strcmp(tok, "tensor") && g->n_t < 16) {
            sg_tensor *t = &g->t[g->n_t++];
            if (fscanf(f, "%63s %7s %d", t->name, t->dtype, &t->ndim) != 3) break;
            t->numel = 1;
            for (int d = 0; d < t->ndim; d++) {
                if (fscanf(f, "%" SCNd64, &t->shape[d]) != 1) break;
                t->numel *= (size_t)t->shape[d];
            }
            t->v = malloc((t->numel + 1) * sizeof(double));
            t->i = malloc((t->numel + 1) * sizeof(int64_t));
            for (size_t k = 0; k < t->numel; k++) {
                if (fscanf(f, "%127s", tok) != 1) break;
                t->v[k] = strtod(tok, NULL);
                t->i[k] = strtoll(tok, NULL, 0);
            }
        }
    }
    fclose(f);
    return g;
}

static inline const sg_tensor *sg_get(const sg_file *g, const char *name)
{
    for (int k = 0; k < g->n_t; k++)
        if (!strcmp(g->t[k].name, name)) return &g->t[k];
    return NULL;
}

static inline double sg_param(const sg_file *g, const char *key)
{
    for (int k = 0; k < g->n_p; k++)
        if (!strcmp(g->pkey[k], key)) return strtod(g->pval[k], NULL);
    return NAN;
}

static inline void sg_free(sg_file *g)
{
    if (!g) return;
    for (int k = 0; k < g->n_t; k++) free(g->t[k].v), free(g->t[k].i);
    free(g);
}

#endif
