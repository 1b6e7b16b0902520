// The C++ side of gbench_c.h: Google Benchmark has no C API, and this file
// is the only C++ of the suite. Each function forwards to one call.
#include "gbench_c.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

struct gb_state {};
struct gb_bench {};

static benchmark::State *S(gb_state *st) { return reinterpret_cast<benchmark::State *>(st); }
static benchmark::internal::Benchmark *B(gb_bench *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

extern "C" {

gb_bench *gb_register(const char *name, gb_fn fn, void *arg)
{
    auto *b = benchmark::RegisterBenchmark(
        name, [fn, arg](benchmark::State &st) { fn(reinterpret_cast<gb_state *>(&st), arg); });
    return reinterpret_cast<gb_bench *>(b);
}

void gb_arg(gb_bench *b, int64_t a) { B(b)->Arg(a); }

void gb_args(gb_bench *b, const int64_t *a, size_t n)
{
    B(b)->Args(std::vector<int64_t>(a, a + n));
}

void gb_arg_name(gb_bench *b, const char *name) { B(b)->ArgName(name); }

void gb_range_mult(gb_bench *b, int64_t lo, int64_t hi, int mult)
{
    B(b)->RangeMultiplier(mult)->Range(lo, hi);
}

void gb_dense_range(gb_bench *b, int64_t lo, int64_t hi, int step)
{
    B(b)->DenseRange(lo, hi, step);
}

void gb_use_real_time(gb_bench *b) { B(b)->UseRealTime(); }
void gb_min_time(gb_bench *b, double seconds) { B(b)->MinTime(seconds); }
void gb_iterations_fixed(gb_bench *b, int64_t n) { B(b)->Iterations(n); }
void gb_repetitions(gb_bench *b, int n) { B(b)->Repetitions(n); }

void gb_unit(gb_bench *b, enum gb_unit u)
{
    static const benchmark::TimeUnit units[] = { benchmark::kNanosecond, benchmark::kMicrosecond,
                                                 benchmark::kMillisecond, benchmark::kSecond };
    B(b)->Unit(units[u]);
}

int gb_keep_running(gb_state *st) { return S(st)->KeepRunning(); }
int64_t gb_range(gb_state *st, size_t i) { return S(st)->range(i); }
int64_t gb_iterations(gb_state *st) { return static_cast<int64_t>(S(st)->iterations()); }
void gb_pause_timing(gb_state *st) { S(st)->PauseTiming(); }
void gb_resume_timing(gb_state *st) { S(st)->ResumeTiming(); }

void gb_set_bytes_processed(gb_state *st, int64_t bytes) { S(st)->SetBytesProcessed(bytes); }
void gb_set_items_processed(gb_state *st, int64_t items) { S(st)->SetItemsProcessed(items); }

void gb_counter(gb_state *st, const char *name, double value, unsigned flags)
{
    using C = benchmark::Counter;
    int f = C::kDefaults;
    if (flags & GB_COUNTER_RATE) f |= C::kIsRate;
    if (flags & GB_COUNTER_AVG_THREADS) f |= C::kAvgThreads;
    if (flags & GB_COUNTER_PER_ITERATION_INVARIANT) f |= C::kIsIterationInvariant;
    if (flags & GB_COUNTER_AVG_ITERATIONS) f |= C::kAvgIterations;
    if (flags & GB_COUNTER_INVERT) f |= C::kInvert;
    S(st)->counters[name] = C(value, static_cast<C::Flags>(f));
}

void gb_set_label(gb_state *st, const char *label) { S(st)->SetLabel(label); }
void gb_skip_with_error(gb_state *st, const char *msg) { S(st)->SkipWithError(msg); }

void gb_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

void gb_init(int *argc, char **argv) { benchmark::Initialize(argc, argv); }

int gb_run(void)
{
    size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return ran ? 0 : 2;
}

int gb_main(int *argc, char **argv)
{
    gb_init(argc, argv);
    if (benchmark::ReportUnrecognizedArguments(*argc, argv)) return 1;
    return gb_run();
}

}  // extern "C"
