/* Shared by the files of the simdmask tool (src/tool/): option parsing,
 * errors, and printing tensors as JSON or the way PyTorch prints them. */
#ifndef SIMDMASK_TOOL_H
#define SIMDMASK_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses: 2 for bad arguments (as getopt tools do), 1 for a failure
 * after the arguments were accepted (the library refused, out of memory). */
enum { SM__EXIT_OK = 0, SM__EXIT_FAIL = 1, SM__EXIT_USAGE = 2 };

/* Every subcommand: int sm__cmd_<name>(int argc, char **argv), argv[0] the
 * subcommand's name. See commands.h for how to add one. */
#define SM__TOOL_COMMAND(name, summary) int sm__cmd_##name(int argc, char **argv);
#include "commands.h"
#undef SM__TOOL_COMMAND

typedef enum sm__opt_kind {
    SM__OPT_FLAG,       /* no value; *(int *)dst = 1 */
    SM__OPT_COUNT,      /* size_t >= 1 */
    SM__OPT_U64,        /* uint64_t, decimal or 0x hex */
    SM__OPT_U32,        /* uint32_t */
    SM__OPT_THREADS,    /* int >= 0 (0: OpenMP's default) */
    SM__OPT_RATIO,      /* double in [0, 1] */
    SM__OPT_DOUBLE,     /* any finite double */
    SM__OPT_STRING      /* const char * into argv */
} sm__opt_kind;

typedef struct sm__opt {
    const char *name;   /* without the dashes: "n" matches --n N and --n=N */
    sm__opt_kind kind;
    void *dst;
    int *seen;          /* optional: set to 1 when given */
} sm__opt;

/* Parses argv[1..argc) against opts. Returns -1 when the command should go
 * on; otherwise the exit status to return at once: 0 after printing usage
 * for --help / -h (to stdout), 2 after printing one line to stderr naming
 * the bad argument: "simdmask mask: --ratio: 1.5 is outside [0, 1]". */
int sm__tool_parse(const char *cmd, int argc, char **argv, const sm__opt *opts, size_t n_opts,
                   const char *usage);

/* Prints "simdmask <cmd>: <message>" and a newline to stderr; returns 2. */
int sm__tool_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The same with status 1, for failures after parsing. */
int sm__tool_fail(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Selects a backend by name for a --backend option ("auto" included); on
 * failure prints why and returns 2, else -1. */
int sm__tool_backend(const char *cmd, const char *name);

/* calloc of a * b bytes with overflow check; NULL on failure. */
void *sm__tool_alloc(size_t a, size_t b);

/* JSON: n rows of l numbers as [[...], [...]]. float32 with %.9g (round-trips). */
void sm__tool_json_f32(FILE *f, const float *v, size_t n, size_t l);
void sm__tool_json_i64(FILE *f, const int64_t *v, size_t n, size_t l);
/* A double as the shortest text that reads back to the same value. */
void sm__tool_json_double(FILE *f, double x);
/* A JSON string with quotes and escapes. */
void sm__tool_json_string(FILE *f, const char *s);

/* Prints a dense row-major tensor exactly as PyTorch's print(tensor) does
 * under torch.set_printoptions(precision=precision, sci_mode=False):
 * "tensor([[0.160, 0.037],\n        [0.454, 0.862]])" and a newline; float32
 * or int64 data, 1..8 dims, summarised with "..." above 1000 elements. */
void sm__tool_print_torch_f32(FILE *f, const float *v, int ndim, const size_t *shape,
                              int precision);
void sm__tool_print_torch_i64(FILE *f, const int64_t *v, int ndim, const size_t *shape);

#endif
