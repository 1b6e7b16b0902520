/* Reader for the reference vectors in tests/golden (format: golden/README.md).
 *
 *   golden *g = golden_load("masking_seed0_4x196x3.txt");   // NULL: see golden_error()
 *   const golden_tensor *t = golden_tensor_get(g, "noise");  // NULL if absent
 *   int64_t n; golden_param_i64(g, "N", &n);
 *   golden_free(g);
 *
 * Values are stored in their own dtype, row-major: f32 as float, f64 as double,
 * i64 as int64_t, i32 as int32_t, u8 as uint8_t. Names are file names inside
 * the folder SM_GOLDEN_DIR (set by tests/meson.build), so the tests run from
 * any directory and need nothing outside the source tree. */
#ifndef SM_TEST_GOLDEN_H
#define SM_TEST_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#define GOLDEN_MAX_DIMS 8

typedef enum golden_dtype { GOLDEN_F32, GOLDEN_F64, GOLDEN_I64, GOLDEN_I32, GOLDEN_U8 } golden_dtype;

typedef struct golden_tensor {
    char name[64];
    golden_dtype dtype;
    size_t elem_size; /* 4, 8, 8, 4, 1 */
    int ndim;
    int64_t shape[GOLDEN_MAX_DIMS];
    size_t numel;     /* product of shape (0 when a dim is 0) */
    void *data;       /* numel * elem_size bytes; never NULL (a 1-byte block when empty) */
} golden_tensor;

typedef struct golden_param {
    char key[64];
    char value[64];   /* as written: decimal int or C99 hex float */
} golden_param;

typedef struct golden {
    char file[256];
    char name[128];        /* the `case` line */
    char comments[1024];   /* the `# ` lines, joined with '\n' */
    size_t n_params, n_tensors;
    golden_param params[32];
    golden_tensor tensors[16];
} golden;

/* Loads SM_GOLDEN_DIR/file; NULL on any format error (golden_error() says which). */
golden *golden_load(const char *file);
void golden_free(golden *g);
const char *golden_error(void);

const golden_tensor *golden_tensor_get(const golden *g, const char *name);
/* 0 on success, -1 if the key is absent or its value does not parse. */
int golden_param_i64(const golden *g, const char *key, int64_t *out);
int golden_param_f64(const golden *g, const char *key, double *out);

/* Sorted names of the files in SM_GOLDEN_DIR starting with prefix and ending
 * in ".txt"; *count set. Free with golden_list_free. NULL if the folder is
 * unreadable. */
char **golden_list(const char *prefix, size_t *count);
void golden_list_free(char **names, size_t count);

/* Full path of a golden file (static buffer). */
const char *golden_path(const char *file);

#endif
