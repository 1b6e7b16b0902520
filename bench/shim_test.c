/* Exercises every part of the gbench_c shim once; bench/shim_check.py runs
 * it with JSON output and checks what Google Benchmark recorded. */
#include <stdint.h>
#include <string.h>

#include "gbench_c.h"

static volatile uint64_t sink;

/* Work proportional to the argument, with every kind of figure reported;
 * arg is the number of arguments (1 or 2). */
static void bm_args(gb_state *st, void *arg)
{
    int64_t n = gb_range(st, 0), m = (uintptr_t)arg == 2 ? gb_range(st, 1) : 0;
    uint64_t acc = 1;
    while (gb_keep_running(st)) {
        for (int64_t i = 0; i < n; i++) acc = acc * 6364136223846793005u + (uint64_t)i;
        gb_pause_timing(st);
        sink = acc;
        gb_resume_timing(st);
    }
    gb_set_bytes_processed(st, gb_iterations(st) * n * 8);
    gb_set_items_processed(st, gb_iterations(st) * n);
    gb_counter(st, "n", (double)n, GB_COUNTER_DEFAULT);
    gb_counter(st, "m", (double)m, GB_COUNTER_DEFAULT);
    gb_counter(st, "n_per_second", (double)n, GB_COUNTER_PER_ITERATION_INVARIANT | GB_COUNTER_RATE);
    gb_counter(st, "per_iteration", (double)n * (double)gb_iterations(st),
               GB_COUNTER_AVG_ITERATIONS);
    gb_counter(st, "inverted", 4.0, GB_COUNTER_INVERT);
    gb_set_label(st, "label text");
}

static void bm_skip(gb_state *st, void *arg)
{
    (void)arg;
    gb_skip_with_error(st, "skipped on purpose");
    while (gb_keep_running(st)) sink = 1;
}

static void bm_fixed(gb_state *st, void *arg)
{
    (void)arg;
    while (gb_keep_running(st)) sink++;
}

int main(int argc, char **argv)
{
    gb_bench *b = gb_register("shim/args", bm_args, (void *)1);
    gb_range_mult(b, 8, 64, 2);                    /* 8 16 32 64 */
    gb_arg_name(b, "n");
    gb_bench *c = gb_register("shim/pairs", bm_args, (void *)2);
    const int64_t pair[2] = { 5, 7 };
    gb_args(c, pair, 2);
    gb_use_real_time(c);
    gb_unit(c, GB_US);
    gb_bench *d = gb_register("shim/dense", bm_args, (void *)1);
    gb_dense_range(d, 1, 3, 1);                    /* 1 2 3 */
    gb_arg(gb_register("shim/arg", bm_args, (void *)1), 11);
    gb_register("shim/skip", bm_skip, NULL);
    gb_bench *f = gb_register("shim/fixed", bm_fixed, NULL);
    gb_iterations_fixed(f, 123);
    gb_repetitions(f, 2);
    gb_min_time(gb_register("shim/min_time", bm_fixed, NULL), 0.001);
    gb_add_context("shim_key", "shim value");
    return gb_main(&argc, argv);
}
