/*
 * A C interface to Google Benchmark (which has only a C++ one), so that the
 * benchmarks themselves are C. gbench_c.cc is the whole of the C++.
 *
 *   static void bm(gb_state *st, void *arg) {
 *       while (gb_keep_running(st)) work(arg);
 *       gb_set_bytes_processed(st, gb_iterations(st) * bytes);
 *   }
 *   int main(int argc, char **argv) {
 *       gb_bench *b = gb_register("kernel/backend/L:196", bm, &cfg);
 *       gb_use_real_time(b);
 *       gb_add_context("backend", "avx2");
 *       return gb_main(&argc, argv);
 *   }
 */
#ifndef GBENCH_C_H
#define GBENCH_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gb_state gb_state; /* a benchmark::State */
typedef struct gb_bench gb_bench; /* a registered benchmark::internal::Benchmark */

/* The measured function; arg is the pointer given at registration. */
typedef void (*gb_fn)(gb_state *st, void *arg);

/* Registers fn under name (copied); arg must outlive the run. */
gb_bench *gb_register(const char *name, gb_fn fn, void *arg);

/* Arguments: st's gb_range(st, i) is the i-th of the current set. */
void gb_arg(gb_bench *b, int64_t a);
void gb_args(gb_bench *b, const int64_t *a, size_t n);
void gb_arg_name(gb_bench *b, const char *name);
/* lo, lo * mult, ... up to hi (hi included), Google Benchmark's Range. */
void gb_range_mult(gb_bench *b, int64_t lo, int64_t hi, int mult);
void gb_dense_range(gb_bench *b, int64_t lo, int64_t hi, int step);

/* Wall-clock time instead of the main thread's CPU time (needed whenever
 * the measured code runs its own threads, as the OpenMP loops do). */
void gb_use_real_time(gb_bench *b);
void gb_min_time(gb_bench *b, double seconds);
void gb_iterations_fixed(gb_bench *b, int64_t n);
void gb_repetitions(gb_bench *b, int n);

enum gb_unit { GB_NS, GB_US, GB_MS, GB_S };
void gb_unit(gb_bench *b, enum gb_unit u);

/* The iteration loop: while (gb_keep_running(st)) { ... } */
int gb_keep_running(gb_state *st);
int64_t gb_range(gb_state *st, size_t i);
int64_t gb_iterations(gb_state *st);
void gb_pause_timing(gb_state *st);
void gb_resume_timing(gb_state *st);

/* Totals over all iterations; reported as per-second rates. */
void gb_set_bytes_processed(gb_state *st, int64_t bytes);
void gb_set_items_processed(gb_state *st, int64_t items);

/* User counters, Google Benchmark's Counter::Flags. */
enum {
    GB_COUNTER_DEFAULT = 0,
    GB_COUNTER_RATE = 1 << 0,                 /* value / seconds */
    GB_COUNTER_AVG_THREADS = 1 << 1,
    GB_COUNTER_PER_ITERATION_INVARIANT = 1 << 2, /* value * iterations */
    GB_COUNTER_AVG_ITERATIONS = 1 << 3,       /* value / iterations */
    GB_COUNTER_INVERT = 1 << 4                /* 1 / value, after the above */
};
void gb_counter(gb_state *st, const char *name, double value, unsigned flags);
void gb_set_label(gb_state *st, const char *label);

/* Marks the run failed with msg (kept in the output); call, then return
 * without entering (or after leaving) the loop. */
void gb_skip_with_error(gb_state *st, const char *msg);

/* A key/value pair in the "context" of every output (console and JSON). */
void gb_add_context(const char *key, const char *value);

/* Parses and removes the --benchmark_* flags from argv; the caller may then
 * read its own. */
void gb_init(int *argc, char **argv);
/* Runs the benchmarks the filter selects: 0, or 2 if none matched. */
int gb_run(void);
/* gb_init, any argument left is reported as an error (returns 1), gb_run. */
int gb_main(int *argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
