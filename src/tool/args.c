/* Option parsing and error lines for the simdmask tool. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "tool.h"

static int vreport(int status, const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "simdmask%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    return status;
}

int sm__tool_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int s = vreport(SM__EXIT_USAGE, cmd, fmt, ap);
    va_end(ap);
    return s;
}

int sm__tool_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int s = vreport(SM__EXIT_FAIL, cmd, fmt, ap);
    va_end(ap);
    return s;
}

/* Unsigned decimal (or 0x hex) without sign, spaces or trailing text. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_value(const char *cmd, const sm__opt *o, const char *text)
{
    uint64_t u;
    switch (o->kind) {
    case SM__OPT_FLAG:
        return -1;
    case SM__OPT_STRING:
        if (!*text) return sm__tool_usage_error(cmd, "--%s: empty value", o->name);
        *(const char **)o->dst = text;
        return -1;
    case SM__OPT_COUNT:
        if (parse_u64(text, &u) || u > SIZE_MAX)
            return sm__tool_usage_error(cmd, "--%s: '%s' is not a whole number", o->name, text);
        if (u == 0) return sm__tool_usage_error(cmd, "--%s: must be at least 1", o->name);
        *(size_t *)o->dst = (size_t)u;
        return -1;
    case SM__OPT_U64:
        if (parse_u64(text, &u))
            return sm__tool_usage_error(cmd, "--%s: '%s' is not a whole number in [0, 2^64)",
                                        o->name, text);
        *(uint64_t *)o->dst = u;
        return -1;
    case SM__OPT_U32:
        if (parse_u64(text, &u) || u > UINT32_MAX)
            return sm__tool_usage_error(cmd, "--%s: '%s' is not a whole number in [0, 2^32)",
                                        o->name, text);
        *(uint32_t *)o->dst = (uint32_t)u;
        return -1;
    case SM__OPT_THREADS:
        if (parse_u64(text, &u) || u > 4096)
            return sm__tool_usage_error(cmd, "--%s: '%s' is not a thread count in [0, 4096]",
                                        o->name, text);
        *(int *)o->dst = (int)u;
        return -1;
    case SM__OPT_RATIO:
    case SM__OPT_DOUBLE: {
        char *end;
        errno = 0;
        double d = strtod(text, &end);
        if (end == text || *end || !isfinite(d) || errno == ERANGE)
            return sm__tool_usage_error(cmd, "--%s: '%s' is not a finite number", o->name, text);
        if (o->kind == SM__OPT_RATIO && !(d >= 0.0 && d <= 1.0))
            return sm__tool_usage_error(cmd, "--%s: %s is outside [0, 1]", o->name, text);
        *(double *)o->dst = d;
        return -1;
    }
    }
    return -1;
}

int sm__tool_parse(const char *cmd, int argc, char **argv, const sm__opt *opts, size_t n_opts,
                   const char *usage)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return SM__EXIT_OK;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
            return sm__tool_usage_error(cmd, "unexpected argument '%s' (see simdmask %s --help)",
                                        a, cmd);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const sm__opt *o = NULL;
        for (size_t k = 0; k < n_opts; k++)
            if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0) o = &opts[k];
        if (!o)
            return sm__tool_usage_error(cmd, "unknown option --%.*s (see simdmask %s --help)",
                                        (int)len, name, cmd);
        if (o->kind == SM__OPT_FLAG) {
            if (eq) return sm__tool_usage_error(cmd, "--%s takes no value", o->name);
            *(int *)o->dst = 1;
        } else {
            const char *value = eq ? eq + 1 : NULL;
            if (!value) {
                /* "--n --l 8": a value cannot start with "--". */
                if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0)
                    return sm__tool_usage_error(cmd, "--%s needs a value", o->name);
                value = argv[++i];
            }
            int s = parse_value(cmd, o, value);
            if (s >= 0) return s;
        }
        if (o->seen) *o->seen = 1;
    }
    return -1;
}

int sm__tool_backend(const char *cmd, const char *name)
{
    sm_status st = sm_backend_set(name);
    if (st == SM_OK) return -1;
    if (st == SM_ENOTFOUND) {
        char list[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < sm_backend_count() && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                    sm_backend_name(i));
        return sm__tool_usage_error(cmd, "--backend: unknown backend '%s' (compiled in: %s, auto)",
                                    name, list);
    }
    return sm__tool_usage_error(cmd, "--backend: %s", sm_last_error());
}

void *sm__tool_alloc(size_t a, size_t b)
{
    size_t bytes;
    if (__builtin_mul_overflow(a, b, &bytes)) return NULL;
    return calloc(bytes ? bytes : 1, 1);
}
