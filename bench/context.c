/* What every result file says about where it came from (Google Benchmark's
 * custom context): the machine from hwloc, the CPU features and backends the
 * library sees, the build, and the thread binding used. */
#include <stdio.h>
#include <string.h>

#include "bench.h"

#ifndef BENCH_COMPILER
#define BENCH_COMPILER "unknown"
#endif
#ifndef BENCH_BUILD
#define BENCH_BUILD "unknown"
#endif
#ifndef BENCH_KERNEL_FLAGS
#define BENCH_KERNEL_FLAGS "unknown"
#endif

#ifdef BENCH_HAVE_TOPOLOGY
#include "topology.h"
static sm__topo topo;
#else
#include <omp.h>
#endif
static char binding[1024] = "not bound";

void bench_bind_team(int threads)
{
#ifdef BENCH_HAVE_TOPOLOGY
    /* Idempotent: the team of this size is bound again in case the OpenMP
     * runtime made new threads for it. */
    sm__topo_bind_omp(&topo, threads, NULL, 0);
#else
    (void)threads;
#endif
}

static void setup_binding(void)
{
#ifdef BENCH_HAVE_TOPOLOGY
    /* The team first (thread i on core i; thread 0 is this main thread, on
     * core 0), since LLVM's libomp sizes its team from the mask it sees
     * first: the one-thread benchmarks then run on core 0, the masking runs
     * on cores 0 .. threads - 1. */
    char team[768];
    int st = sm__topo_bind_omp(&topo, bench_opts.all_threads, team, sizeof team);
    snprintf(binding, sizeof binding, "hwloc: %s%s; one-thread runs on omp thread 0",
             st == 0 ? "" : "(incomplete) ", team);
#else
    snprintf(binding, sizeof binding, "not bound: built without src/topology.c");
#endif
}

void bench_setup(int threads_override)
{
#ifdef BENCH_HAVE_TOPOLOGY
    sm__topo_load(&topo);
    int cores = topo.cores > 0 ? topo.cores : 1;
#else
    int cores = omp_get_num_procs();
#endif
    bench_opts.all_threads = threads_override > 0 ? threads_override : cores;
    setup_binding();
}

static void features(char *buf, size_t size)
{
    uint32_t f = sm_cpu_features();
    buf[0] = 0;
    for (uint32_t bit = 1; bit; bit <<= 1) {
        const char *name = (f & bit) ? sm_cpu_feature_name(bit) : NULL;
        if (!name) continue;
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", used ? " " : "", name);
    }
    if (!buf[0]) snprintf(buf, size, "none");
}

static void backends(char *buf, size_t size, int want_supported)
{
    buf[0] = 0;
    for (size_t i = 0; i < sm_backend_count(); i++) {
        if (sm_backend_supported(i) != want_supported) continue;
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", used ? " " : "", sm_backend_name(i));
    }
    if (!buf[0]) snprintf(buf, size, "none");
}

static void add_int(const char *key, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    gb_add_context(key, buf);
}

void bench_context(void)
{
    char buf[1024];
#ifdef BENCH_HAVE_TOPOLOGY
    sm__topo_json(&topo, buf, sizeof buf);
    gb_add_context("hwloc_topology", buf);
    gb_add_context("cpu_model", topo.cpu_model);
    gb_add_context("cpu_id", topo.cpu_id);
    add_int("hwloc_packages", topo.packages);
    add_int("hwloc_cores", topo.cores);
    add_int("hwloc_pus", topo.pus);
    add_int("hwloc_numa_nodes", topo.numa_nodes);
    add_int("hwloc_l1d_bytes", (long long)topo.l1d_bytes);
    add_int("hwloc_l2_bytes", (long long)topo.l2_bytes);
    add_int("hwloc_l3_bytes", (long long)topo.l3_bytes);
    add_int("hwloc_l3_count", topo.l3_count);
#else
    gb_add_context("hwloc_topology", "unknown: built without src/topology.c");
#endif
    gb_add_context("thread_binding", binding);
    add_int("threads_all", bench_opts.all_threads);
    gb_add_context("simdmask_version", sm_version());
    features(buf, sizeof buf);
    gb_add_context("cpu_features", buf);
    gb_add_context("backend_active", sm_backend_active());
    gb_add_context("backend_reason", sm_backend_reason());
    backends(buf, sizeof buf, 1);
    gb_add_context("backends_measured", buf);
    backends(buf, sizeof buf, 0);
    gb_add_context("backends_unsupported", buf);
    gb_add_context("shared_with_scalar", bench_shared_with_scalar());
    gb_add_context("peers", bench_peer_notes());
    gb_add_context("compiler", BENCH_COMPILER);
    gb_add_context("build", BENCH_BUILD);
    gb_add_context("kernel_flags", BENCH_KERNEL_FLAGS);
    gb_add_context("mode", bench_opts.quick ? "quick" : "default");
}
