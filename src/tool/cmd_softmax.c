/* simdmask softmax: one call of sm_masked_softmax on scores given on the
 * command line, printed as JSON or the way PyTorch prints the tensor. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "tool.h"

static const char usage[] =
    "usage: simdmask softmax --scores ROWS [--mask ROWS] [--fill F] [--backend NAME]\n"
    "                        [--threads T] [--json]\n"
    "\n"
    "softmax(scores.masked_fill(mask, fill), dim=-1), seed 002's column masking.\n"
    "\n"
    "  --scores ROWS  float32 scores: rows separated by ';', numbers by ',' or\n"
    "                 spaces, e.g. \"-0.786,1.136,1.624;0.417,1.366,-0.52\"\n"
    "  --mask ROWS    booleans (0/1), one row (a column mask broadcast over the\n"
    "                 rows) or one per scores row; default: no mask\n"
    "  --fill F       the masked value (default -1e9; -inf gives NaN rows where\n"
    "                 everything is masked, as PyTorch does)\n"
    "  --backend NAME scalar, sse4, avx2, avx512, neon or auto\n"
    "  --threads T    OpenMP threads (default 0: OpenMP's default)\n"
    "  --json         one JSON object: backend, rows, cols, mask_rows, fill, softmax\n"
    "                 (rows lists of %.9g numbers, NaN as null)\n"
    "\n"
    "Without --json the result prints as PyTorch prints it after\n"
    "torch.set_printoptions(precision=3, sci_mode=False). Seed 002's example:\n"
    "  simdmask softmax --mask 0,1,1,0,1 --scores \"-0.786,1.136,1.624,0.417,1.366;\n"
    "    -0.520,-0.127,-0.219,-0.489,0.276;-0.937,-0.734,1.221,-0.305,1.020;\n"
    "    2.252,-0.042,-1.098,1.135,-0.075\"\n";

/* Parses "a,b c;d,e,f" into rows of numbers; every row must have the same
 * count. Returns 0, or 2 after printing what is wrong. */
static int parse_rows(const char *opt, const char *text, float **out, size_t *rows, size_t *cols)
{
    size_t cap = 16, n = 0, r = 0, c = 0, row_len = 0;
    float *v = malloc(cap * sizeof *v);
    if (!v) return sm__tool_fail("softmax", "out of memory");
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n') p++;
        if (*p == ';' || *p == '\0') {
            if (row_len) {
                if (r && row_len != c) {
                    free(v);
                    return sm__tool_usage_error("softmax", "%s: row %zu has %zu numbers, row 0 has %zu",
                                                opt, r, row_len, c);
                }
                c = row_len, r++, row_len = 0;
            }
            if (*p == '\0') break;
            p++;
            continue;
        }
        char *end;
        double x = strtod(p, &end);
        if (end == p) {
            free(v);
            return sm__tool_usage_error("softmax", "%s: cannot read a number at \"%.20s\"", opt, p);
        }
        if (n == cap) {
            float *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                return sm__tool_fail("softmax", "out of memory");
            }
            v = nv, cap *= 2;
        }
        v[n++] = (float)x;
        row_len++;
        p = end;
    }
    if (!r) {
        free(v);
        return sm__tool_usage_error("softmax", "%s: no numbers", opt);
    }
    *out = v, *rows = r, *cols = c;
    return 0;
}

/* Rows of %.9g numbers, NaN as null (JSON has no NaN; a fully masked row
 * with fill -inf is all NaN). */
static void json_rows(const float *v, size_t n, size_t l)
{
    putchar('[');
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", [" : "[", stdout);
        for (size_t j = 0; j < l; j++) {
            if (j) fputs(", ", stdout);
            if (isnan(v[i * l + j]))
                fputs("null", stdout);
            else
                printf("%.9g", (double)v[i * l + j]);
        }
        putchar(']');
    }
    putchar(']');
}

int sm__cmd_softmax(int argc, char **argv)
{
    const char *scores_text = NULL, *mask_text = NULL, *fill_text = "-1e9", *backend = NULL;
    int threads = 0, json = 0;
    const sm__opt opts[] = {
        { "scores", SM__OPT_STRING, &scores_text, NULL },
        { "mask", SM__OPT_STRING, &mask_text, NULL },
        { "fill", SM__OPT_STRING, &fill_text, NULL },
        { "backend", SM__OPT_STRING, &backend, NULL },
        { "threads", SM__OPT_THREADS, &threads, NULL },
        { "json", SM__OPT_FLAG, &json, NULL },
    };
    int s = sm__tool_parse("softmax", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
    if (s >= 0) return s;
    if (!scores_text) return sm__tool_usage_error("softmax", "--scores is required");
    char *end;
    double fill = strtod(fill_text, &end);
    if (end == fill_text || *end || isnan(fill))
        return sm__tool_usage_error("softmax", "--fill: '%s' is not a number", fill_text);
    if (backend && (s = sm__tool_backend("softmax", backend)) >= 0) return s;
    sm_set_num_threads(threads);

    float *x = NULL, *mf = NULL, *out = NULL;
    uint8_t *mask = NULL;
    size_t rows, cols, mrows = 0, mcols = 0;
    if ((s = parse_rows("--scores", scores_text, &x, &rows, &cols))) return s;
    if (mask_text && (s = parse_rows("--mask", mask_text, &mf, &mrows, &mcols))) goto done;
    if (mask_text && mcols != cols) {
        s = sm__tool_usage_error("softmax", "--mask has %zu columns, --scores %zu", mcols, cols);
        goto done;
    }
    out = sm__tool_alloc(rows * cols, sizeof(float));
    mask = mf ? sm__tool_alloc(mrows * mcols, 1) : NULL;
    if (!out || (mf && !mask)) {
        s = sm__tool_fail("softmax", "out of memory");
        goto done;
    }
    for (size_t i = 0; mf && i < mrows * mcols; i++) mask[i] = mf[i] != 0.0f;
    sm_status st = sm_masked_softmax(x, rows, cols, mask, mrows, (float)fill, out);
    if (st != SM_OK) {
        s = sm__tool_fail("softmax", "%s: %s", sm_strerror(st), sm_last_error());
        goto done;
    }
    if (json) {
        printf("{\"backend\": ");
        sm__tool_json_string(stdout, sm_backend_active());
        printf(", \"rows\": %zu, \"cols\": %zu, \"mask_rows\": %zu, \"fill\": ", rows, cols, mrows);
        if (isinf(fill))
            printf("\"%s\"", fill < 0 ? "-inf" : "inf");
        else
            sm__tool_json_double(stdout, (double)(float)fill);
        printf(", \"softmax\": ");
        json_rows(out, rows, cols);
        printf("}\n");
    } else {
        const size_t shape[2] = { rows, cols };
        printf("scores_softmax=\n");
        sm__tool_print_torch_f32(stdout, out, 2, shape, 3);
    }
    s = fflush(stdout) != 0 ? sm__tool_fail("softmax", "cannot write the output") : SM__EXIT_OK;
done:
    free(x), free(mf), free(out), free(mask);
    return s;
}
