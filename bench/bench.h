/* The benchmark suite's shared pieces: shapes, data, registration. Every
 * benchmark is named kernel/backend/shape so that runs pair by name (Google
 * Benchmark's compare.py, bench/report.py), and backend is either a simdmask
 * backend or a peer (qsort, vqsort, memcpy, torch). */
#ifndef SM_BENCH_H
#define SM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "floats.h" /* bench_floats: arbitrary keys */
#include "gbench_c.h"
#include "kernels.h"
#include "simdmask.h"

/* ------------------------------------------------------------- shapes */

/* Argsort and ids_restore row lengths: 49 (MAE at 112 px), 196 (ViT /16 at
 * 224 px), 576 (/16 at 384 px), 1024, 1568 (VideoMAE 16x224x224 in 2x16x16
 * tubes), 4096, 16384, 65536 (long sequences). */
extern const size_t bench_sort_l[];
extern const size_t bench_sort_l_count;
/* Rows sorted per timed iteration: about 64 Ki keys, so every L works on
 * the same 256 KiB of keys (in L2) and short rows are not timed one by one. */
size_t bench_sort_rows(size_t l);

/* Row gathers: row_bytes x percent kept, over bench_gather_src_bytes of
 * source as samples of 196 rows (ViT-B's L). */
extern const size_t bench_gather_row_bytes[];
extern const size_t bench_gather_row_bytes_count;
extern const int bench_gather_keep_pct[];
extern const size_t bench_gather_keep_count;
#define BENCH_GATHER_L 196
/* 16 MiB: beyond L2 (1 MiB a core here), like a training batch. */
#define BENCH_GATHER_SRC_BYTES ((size_t)16 << 20)
size_t bench_gather_n(size_t row_bytes);           /* samples */
size_t bench_gather_k(int keep_pct);               /* rows kept per sample */

/* Noise: one ViT-B batch of 256 x 196 floats per iteration. */
#define BENCH_NOISE_N 256
#define BENCH_NOISE_L 196

/* The whole masking step at real shapes. */
struct bench_masking_shape {
    const char *name;
    size_t n, l, row_bytes;
    double ratio;
    const char *dtype; /* of x's elements, for the PyTorch peer */
    size_t d;          /* elements per row */
};
extern const struct bench_masking_shape bench_masking_shapes[];
extern const size_t bench_masking_shape_count;

/* ------------------------------------------------------------- options */

struct bench_opts {
    bool quick;        /* fewer shapes: the one-minute mode */
    int all_threads;   /* "all cores": one thread per core (hwloc) */
};
extern struct bench_opts bench_opts;

/* ------------------------------------------------------------- helpers */

/* 64-byte aligned, zeroed; exits with a message on failure (a benchmark
 * binary may: the library may not). */
void *bench_alloc(size_t bytes);

/* A copy of cfg that lives as long as the process (gbench keeps the pointer
 * given at registration). */
void *bench_keep(const void *cfg, size_t bytes);
void bench_free_kept(void); /* after the run */

/* Argsort inputs: generator noise (24-bit keys, the masking case) or
 * arbitrary floats. */
enum bench_keys { KEYS_NOISE, KEYS_F32 };

/* Deterministic test data from a fixed seed. */
void bench_noise(float *out, size_t n_rows, size_t l, uint64_t row0);   /* generator values */

/* gbench_c's register with a printf-formatted name. Benchmarks on one thread
 * keep Google Benchmark's default, the thread's CPU time: on a shared
 * machine it leaves out the time other processes hold the core. */
gb_bench *bench_register(gb_fn fn, void *arg, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Backends compiled in and supported by this CPU, best first. */
size_t bench_backend_count(void);
const struct sm_kernels *bench_backend(size_t i);

/* The first k of a random permutation of BENCH_GATHER_L per sample, n samples
 * (the kept indices of MAE); the caller frees. */
uint32_t *bench_gather_indices(size_t n, size_t k);

/* "avx2.argsort_f32 ..." : slots a backend leaves at the scalar kernel, which
 * are not measured again; "none" if none. */
const char *bench_shared_with_scalar(void);

/* ------------------------------------------------------------ registration */

void bench_register_kernels(void);  /* kernels.c: per-backend kernel slots */
void bench_register_peers(void);    /* peers.c: qsort, vqsort, memcpy */
const char *bench_peer_notes(void); /* which peers were built, for the context */
void bench_register_masking(void);  /* masking.c: the public entry point per backend */
void bench_register_seeds(void);    /* bench_seeds.c: softmax, patchify, MAE loss */

/* context.c: loads the topology (hwloc), sets bench_opts.all_threads to the
 * core count (or threads_override when > 0) and binds the OpenMP team one
 * thread per core, the main thread on core 0. */
void bench_setup(int threads_override);
/* Records the machine, the build and the binding in the output's context. */
void bench_context(void);
/* Binds the OpenMP team of `threads` threads one per core (masking runs). */
void bench_bind_team(int threads);
/* Prints the shapes and options as JSON (for the PyTorch peer). */
void bench_print_shapes(void);

#endif
