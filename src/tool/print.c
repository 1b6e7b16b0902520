/* Tensors as JSON, and as PyTorch prints them (torch/_tensor_str.py: the
 * _Formatter width rules, 80-column line wrapping, summarising above 1000
 * elements with 3 edge items), so that the tool's output can be compared
 * with a PyTorch session line for line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void sm__tool_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void sm__tool_json_double(FILE *f, double x)
{
    char buf[32];
    for (int p = 15; p <= 17; p++) {   /* 17 significant digits always round-trip */
        snprintf(buf, sizeof buf, "%.*g", p, x);
        if (strtod(buf, NULL) == x) break;
    }
    fputs(buf, f);
}

void sm__tool_json_f32(FILE *f, const float *v, size_t n, size_t l)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", [" : "[", f);
        for (size_t j = 0; j < l; j++) fprintf(f, j ? ", %.9g" : "%.9g", (double)v[i * l + j]);
        fputc(']', f);
    }
    fputc(']', f);
}

void sm__tool_json_i64(FILE *f, const int64_t *v, size_t n, size_t l)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", [" : "[", f);
        for (size_t j = 0; j < l; j++) fprintf(f, j ? ", %lld" : "%lld", (long long)v[i * l + j]);
        fputc(']', f);
    }
    fputc(']', f);
}

/* PyTorch's print options as torch.set_printoptions(precision=p, sci_mode=False) sets them. */
enum { LINEWIDTH = 80, THRESHOLD = 1000, EDGEITEMS = 3, MAX_DIMS = 8 };

typedef struct tensor {
    const float *f;         /* one of f, i */
    const int64_t *i;
    int ndim;
    const size_t *shape;
    size_t stride[MAX_DIMS];
    int summarize;
    int precision;
    /* _Formatter state */
    int int_mode, sci_mode;
    size_t width;
} tensor;

/* Value text per _Formatter.format, without the padding. */
static int value_text(const tensor *t, size_t at, char *buf, size_t size)
{
    if (t->i) return snprintf(buf, size, "%lld", (long long)t->i[at]);
    double v = (double)t->f[at];
    /* Python formats every NaN as "nan"; glibc would print "-nan" for some. */
    if (isnan(v)) return snprintf(buf, size, "nan");
    if (t->sci_mode) return snprintf(buf, size, "%.*e", t->precision, v);
    if (t->int_mode) return snprintf(buf, size, isinf(v) ? "%.0f" : "%.0f.", v);
    return snprintf(buf, size, "%.*f", t->precision, v);
}

/* Indices shown along a dimension of size n: all, or the 3 first and 3 last. */
static size_t shown(const tensor *t, size_t n, size_t k, int *gap_before)
{
    *gap_before = 0;
    if (!t->summarize || n <= 2 * EDGEITEMS) return k;
    if (k == EDGEITEMS) *gap_before = 1;
    return k < EDGEITEMS ? k : n - 2 * EDGEITEMS + k;
}

static size_t shown_count(const tensor *t, size_t n)
{
    return t->summarize && n > 2 * EDGEITEMS ? 2 * EDGEITEMS : n;
}

/* Calls fn on every element the print shows (get_summarized_data). */
static void each_shown(tensor *t, int d, size_t base, void (*fn)(tensor *, size_t, void *),
                       void *ctx)
{
    size_t n = t->shape[d], m = shown_count(t, n);
    for (size_t k = 0; k < m; k++) {
        int gap;
        size_t at = base + shown(t, n, k, &gap) * t->stride[d];
        if (d + 1 == t->ndim)
            fn(t, at, ctx);
        else
            each_shown(t, d + 1, at, fn, ctx);
    }
}

typedef struct stats {
    size_t nonzero;
    double min_abs, max_abs;
    int all_int;
    int pass;       /* 0: gather stats; 1: widths */
    int sci_width;  /* measure "%.pe" (the automatic sci mode) instead of the printed text */
    size_t width;
} stats;

static void visit(tensor *t, size_t at, void *ctx)
{
    stats *s = ctx;
    char buf[64];
    if (t->i) {
        size_t w = (size_t)value_text(t, at, buf, sizeof buf);
        if (w > s->width) s->width = w;
        return;
    }
    double v = (double)t->f[at];
    if (!isfinite(v) || v == 0.0) return;   /* only nonzero finite values count */
    if (s->pass == 0) {
        double a = fabs(v);
        if (s->nonzero == 0 || a < s->min_abs) s->min_abs = a;
        if (s->nonzero == 0 || a > s->max_abs) s->max_abs = a;
        if (v != ceil(v)) s->all_int = 0;
        s->nonzero++;
        return;
    }
    size_t w;
    if (s->sci_width)
        w = (size_t)snprintf(buf, sizeof buf, "%.*e", t->precision, v);
    else if (t->int_mode)
        w = (size_t)snprintf(buf, sizeof buf, "%.0f", v) + 1;
    else
        w = (size_t)snprintf(buf, sizeof buf, "%.*f", t->precision, v);
    if (w > s->width) s->width = w;
}

/* _Formatter.__init__, then sci_mode forced off by the print options. The
 * width is measured in the mode PyTorch would pick by itself, so values
 * under 1e-4 widen every column to the length of "1.234e-05" even though
 * they print as "0.000": that is what PyTorch prints too. */
static void formatter(tensor *t)
{
    stats s = { .all_int = 1, .width = 1 };
    t->int_mode = 1;
    t->sci_mode = 0;
    if (t->i) {
        each_shown(t, 0, 0, visit, &s);
        t->width = s.width;
        return;
    }
    each_shown(t, 0, 0, visit, &s);
    if (s.nonzero > 0) {
        t->int_mode = s.all_int;
        double ratio = s.max_abs / s.min_abs;
        if (t->int_mode)
            s.sci_width = ratio > 1000.0 || s.max_abs > 1.0e8;
        else
            s.sci_width = ratio > 1000.0 || s.max_abs > 1.0e8 || s.min_abs < 1.0e-4;
        s.pass = 1;
        each_shown(t, 0, 0, visit, &s);
    }
    t->width = s.width;
}

static void put_value(FILE *f, const tensor *t, size_t at)
{
    char buf[64];
    size_t len = (size_t)value_text(t, at, buf, sizeof buf);
    for (size_t k = len; k < t->width; k++) fputc(' ', f);
    fputs(buf, f);
}

static void spaces(FILE *f, size_t n)
{
    while (n--) fputc(' ', f);
}

/* _vector_str: items joined by ", ", wrapped every floor((80 - indent) /
 * (width + 2)) items with ",\n" and indent + 1 spaces. */
static void vector(FILE *f, const tensor *t, size_t base, size_t indent)
{
    size_t n = t->shape[t->ndim - 1], m = shown_count(t, n);
    size_t per_line = LINEWIDTH > indent ? (LINEWIDTH - indent) / (t->width + 2) : 0;
    if (per_line < 1) per_line = 1;
    fputc('[', f);
    size_t item = 0;
    for (size_t k = 0; k < m; k++) {
        int gap;
        size_t at = base + shown(t, n, k, &gap) * t->stride[t->ndim - 1];
        if (gap) {   /* " ..." is one more item of the line */
            if (item % per_line == 0 && item) {
                fputs(",\n", f);
                spaces(f, indent + 1);
            } else if (item) {
                fputs(", ", f);
            }
            fputs(" ...", f);
            item++;
        }
        if (item % per_line == 0 && item) {
            fputs(",\n", f);
            spaces(f, indent + 1);
        } else if (item) {
            fputs(", ", f);
        }
        put_value(f, t, at);
        item++;
    }
    fputc(']', f);
}

/* _tensor_str_with_formatter: slices joined by "," + (dims - 1) newlines +
 * indent + 1 spaces, "..." standing for the rows left out. */
static void block(FILE *f, const tensor *t, int d, size_t base, size_t indent)
{
    if (d == t->ndim - 1) {
        vector(f, t, base, indent);
        return;
    }
    size_t n = t->shape[d], m = shown_count(t, n);
    int newlines = t->ndim - d - 1;
    fputc('[', f);
    for (size_t k = 0; k < m; k++) {
        int gap;
        size_t at = base + shown(t, n, k, &gap) * t->stride[d];
        if (gap) {
            fputc(',', f);
            for (int j = 0; j < newlines; j++) fputc('\n', f);
            spaces(f, indent + 1);
            fputs("...", f);
        }
        if (k || gap) {
            fputc(',', f);
            for (int j = 0; j < newlines; j++) fputc('\n', f);
            spaces(f, indent + 1);
        }
        block(f, t, d + 1, at, indent + 1);
    }
    fputc(']', f);
}

static void print_tensor(FILE *f, tensor *t)
{
    size_t numel = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        t->stride[d] = numel;
        numel *= t->shape[d];
    }
    if (numel == 0) {
        fputs("tensor([])\n", f);
        return;
    }
    t->summarize = numel > THRESHOLD;
    formatter(t);
    fputs("tensor(", f);
    block(f, t, 0, 0, 7);   /* indent = len("tensor(") */
    fputs(")\n", f);
}

void sm__tool_print_torch_f32(FILE *f, const float *v, int ndim, const size_t *shape,
                              int precision)
{
    if (ndim < 1 || ndim > MAX_DIMS) return;
    tensor t = { .f = v, .ndim = ndim, .shape = shape, .precision = precision };
    print_tensor(f, &t);
}

void sm__tool_print_torch_i64(FILE *f, const int64_t *v, int ndim, const size_t *shape)
{
    if (ndim < 1 || ndim > MAX_DIMS) return;
    tensor t = { .i = v, .ndim = ndim, .shape = shape, .precision = 4 };
    print_tensor(f, &t);
}
