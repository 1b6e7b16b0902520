/* Reader of the golden format: a few header words per line, then the values
 * of each tensor as whitespace-separated numbers (strtof/strtod read C99 hex
 * floats exactly, so f32 and f64 values arrive bit for bit). */
#include "golden.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SM_GOLDEN_DIR
#error "SM_GOLDEN_DIR must name the golden folder (tests/meson.build sets it)"
#endif

static char err[512];

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, sizeof err, fmt, ap);
    va_end(ap);
}

const char *golden_error(void)
{
    return err;
}

const char *golden_path(const char *file)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", SM_GOLDEN_DIR, file);
    return path;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb, cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        fail("%s: cannot read", path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* The next whitespace-free word of the current line into w; p advances. */
static int word(const char **p, char *w, size_t cap)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = 0;
    while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
        if (n + 1 >= cap) return -1;
        w[n++] = *s++;
    }
    w[n] = '\0';
    *p = s;
    return n ? 0 : -1;
}

static const char *next_line(const char *s)
{
    while (*s && *s != '\n') s++;
    return *s ? s + 1 : s;
}

static int parse_dtype(const char *w, golden_dtype *t, size_t *size)
{
    static const struct { const char *name; golden_dtype t; size_t size; } types[] = {
        { "f32", GOLDEN_F32, 4 }, { "f64", GOLDEN_F64, 8 }, { "i64", GOLDEN_I64, 8 },
        { "i32", GOLDEN_I32, 4 }, { "u8", GOLDEN_U8, 1 },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(w, types[i].name) == 0) {
            *t = types[i].t, *size = types[i].size;
            return 0;
        }
    return -1;
}

/* Reads numel values of t's dtype from *p. */
static int read_values(const char **p, golden_tensor *t)
{
    const char *s = *p;
    for (size_t i = 0; i < t->numel; i++) {
        char *end;
        errno = 0;
        switch (t->dtype) {
        case GOLDEN_F32: ((float *)t->data)[i] = strtof(s, &end); break;
        case GOLDEN_F64: ((double *)t->data)[i] = strtod(s, &end); break;
        case GOLDEN_I64: ((int64_t *)t->data)[i] = strtoll(s, &end, 10); break;
        case GOLDEN_I32: {
            long long v = strtoll(s, &end, 10);
            if (v < INT32_MIN || v > INT32_MAX) errno = ERANGE;
            ((int32_t *)t->data)[i] = (int32_t)v;
            break;
        }
        case GOLDEN_U8: {
            long long v = strtoll(s, &end, 10);
            if (v < 0 || v > 255) errno = ERANGE;
            ((uint8_t *)t->data)[i] = (uint8_t)v;
            break;
        }
        }
        /* ERANGE from strtof on denormals is fine: the value is still exact. */
        if (end == s || (errno == ERANGE && t->dtype != GOLDEN_F32 && t->dtype != GOLDEN_F64)) {
            fail("tensor %s: value %zu of %zu is missing or bad", t->name, i, t->numel);
            return -1;
        }
        s = end;
    }
    *p = s;
    return 0;
}

static int parse(golden *g, const char *s)
{
    char w[128];
    while (*s) {
        const char *line = s;
        while (*s == ' ' || *s == '\t' || *s == '\r') s++;
        if (*s == '\n' || *s == '\0') {
            s = next_line(s);
            continue;
        }
        if (*s == '#') {
            const char *e = s;
            while (*e && *e != '\n') e++;
            size_t have = strlen(g->comments), n = (size_t)(e - s);
            if (have + n + 2 < sizeof g->comments) {
                if (have) g->comments[have++] = '\n';
                memcpy(g->comments + have, s, n);
                g->comments[have + n] = '\0';
            }
            s = next_line(s);
            continue;
        }
        if (word(&s, w, sizeof w)) goto bad;
        if (strcmp(w, "case") == 0) {
            if (word(&s, g->name, sizeof g->name)) goto bad;
        } else if (strcmp(w, "param") == 0) {
            if (g->n_params == sizeof g->params / sizeof g->params[0]) {
                fail("too many params");
                return -1;
            }
            golden_param *pr = &g->params[g->n_params++];
            if (word(&s, pr->key, sizeof pr->key) || word(&s, pr->value, sizeof pr->value)) goto bad;
        } else if (strcmp(w, "tensor") == 0) {
            if (g->n_tensors == sizeof g->tensors / sizeof g->tensors[0]) {
                fail("too many tensors");
                return -1;
            }
            golden_tensor *t = &g->tensors[g->n_tensors];
            if (word(&s, t->name, sizeof t->name) || word(&s, w, sizeof w) ||
                parse_dtype(w, &t->dtype, &t->elem_size) || word(&s, w, sizeof w))
                goto bad;
            char *end;
            long nd = strtol(w, &end, 10);
            if (*end || nd < 1 || nd > GOLDEN_MAX_DIMS) goto bad;
            t->ndim = (int)nd;
            t->numel = 1;
            for (int d = 0; d < t->ndim; d++) {
                if (word(&s, w, sizeof w)) goto bad;
                long long v = strtoll(w, &end, 10);
                if (*end || v < 0 || v > (1LL << 40)) goto bad;
                t->shape[d] = v;
                t->numel *= (size_t)v;
            }
            t->data = calloc(t->numel ? t->numel : 1, t->elem_size);
            if (!t->data) {
                fail("out of memory");
                return -1;
            }
            g->n_tensors++;
            s = next_line(s);
            if (read_values(&s, t)) return -1;
            continue;
        } else {
            goto bad;
        }
        s = next_line(s);
        continue;
    bad:;
        const char *e = line;
        while (*e && *e != '\n') e++;
        fail("bad line: %.*s", (int)(e - line > 100 ? 100 : e - line), line);
        return -1;
    }
    if (!g->name[0]) {
        fail("no case line");
        return -1;
    }
    return 0;
}

golden *golden_load(const char *file)
{
    const char *path = golden_path(file);
    char *text = read_all(path);
    if (!text) return NULL;
    golden *g = calloc(1, sizeof *g);
    if (!g) {
        free(text);
        fail("out of memory");
        return NULL;
    }
    snprintf(g->file, sizeof g->file, "%s", file);
    int r = parse(g, text);
    free(text);
    if (r) {
        char msg[sizeof err];
        snprintf(msg, sizeof msg, "%s", err);
        fail("%s: %s", file, msg);
        golden_free(g);
        return NULL;
    }
    return g;
}

void golden_free(golden *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->n_tensors; i++) free(g->tensors[i].data);
    free(g);
}

const golden_tensor *golden_tensor_get(const golden *g, const char *name)
{
    for (size_t i = 0; i < g->n_tensors; i++)
        if (strcmp(g->tensors[i].name, name) == 0) return &g->tensors[i];
    return NULL;
}

static const char *param(const golden *g, const char *key)
{
    for (size_t i = 0; i < g->n_params; i++)
        if (strcmp(g->params[i].key, key) == 0) return g->params[i].value;
    return NULL;
}

int golden_param_i64(const golden *g, const char *key, int64_t *out)
{
    const char *v = param(g, key);
    if (!v) return -1;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || end == v || errno) return -1;
    *out = x;
    return 0;
}

int golden_param_f64(const golden *g, const char *key, double *out)
{
    const char *v = param(g, key);
    if (!v) return -1;
    char *end;
    double x = strtod(v, &end);
    if (*end || end == v) return -1;
    *out = x;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **golden_list(const char *prefix, size_t *count)
{
    *count = 0;
    DIR *dir = opendir(SM_GOLDEN_DIR);
    if (!dir) {
        fail("%s: %s", SM_GOLDEN_DIR, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 16, plen = strlen(prefix);
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len < plen + 4 || strncmp(e->d_name, prefix, plen) || strcmp(e->d_name + len - 4, ".txt"))
            continue;
        if (n == cap) {
            char **nn = realloc(names, 2 * cap * sizeof *names);
            if (!nn) break;
            names = nn, cap *= 2;
        }
        names[n] = strdup(e->d_name);
        if (names[n]) n++;
    }
    closedir(dir);
    if (!names) return NULL;
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

void golden_list_free(char **names, size_t count)
{
    if (!names) return;
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}
