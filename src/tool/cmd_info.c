/* simdmask info: what the library sees of this machine and what it chose. */
#include <stdlib.h>
#include <string.h>

#include "simdmask.h"
#include "topology.h"
#include "tool.h"

static const char usage[] =
    "usage: simdmask info [--json]\n"
    "\n"
    "Version, CPU model, cores and caches (hwloc), the CPU features detected, every\n"
    "backend compiled in with whether this CPU runs it, and the active backend with\n"
    "the reason: auto (the best this CPU runs) or SIMDMASK_BACKEND.\n"
    "\n"
    "  --json   one JSON object: version, topology, cpu_features, backends,\n"
    "           active_backend, reason, simdmask_backend_env, threads\n";

/* What the user asked for in SIMDMASK_BACKEND and did not get, or NULL. */
static const char *env_ignored(const char *env, const char *active, const char *reason)
{
    if (!env || !*env || strcmp(env, "auto") == 0) return NULL;
    if (strcmp(reason, "SIMDMASK_BACKEND") == 0 && strcmp(env, active) == 0) return NULL;
    for (size_t i = 0; i < sm_backend_count(); i++)
        if (strcmp(sm_backend_name(i), env) == 0)
            return sm_backend_supported(i) ? NULL : "not supported by this CPU";
    return "not compiled in";
}

static void human_bytes(char *buf, size_t size, size_t b)
{
    if (b == 0)
        snprintf(buf, size, "?");
    else if (b % (1u << 20) == 0)
        snprintf(buf, size, "%zu MiB", b >> 20);
    else if (b % 1024 == 0)
        snprintf(buf, size, "%zu KiB", b >> 10);
    else
        snprintf(buf, size, "%zu B", b);
}

int sm__cmd_info(int argc, char **argv)
{
    int json = 0;
    const sm__opt opts[] = { { "json", SM__OPT_FLAG, &json, NULL } };
    int s = sm__tool_parse("info", argc, argv, opts, 1, usage);
    if (s >= 0) return s;

    sm__topo topo;
    int topo_ok = sm__topo_load(&topo) == 0;
    uint32_t features = sm_cpu_features();
    const char *active = sm_backend_active();
    const char *reason = sm_backend_reason();
    const char *env = getenv("SIMDMASK_BACKEND");
    const char *ignored = env_ignored(env, active, reason);

    if (json) {
        printf("{\"version\": \"%s\", \"topology\": ", sm_version());
        sm__topo_write_json(&topo, stdout);
        printf(", \"cpu_features\": [");
        int first = 1;
        for (int b = 0; b < 32; b++) {
            const char *fname = sm_cpu_feature_name(1u << b);
            if (fname && (features & (1u << b))) {
                printf("%s\"%s\"", first ? "" : ", ", fname);
                first = 0;
            }
        }
        printf("], \"backends\": [");
        for (size_t i = 0; i < sm_backend_count(); i++)
            printf("%s{\"name\": \"%s\", \"supported\": %s}", i ? ", " : "", sm_backend_name(i),
                   sm_backend_supported(i) ? "true" : "false");
        printf("], \"active_backend\": \"%s\", \"reason\": \"%s\", \"simdmask_backend_env\": ",
               active, reason);
        if (env)
            sm__tool_json_string(stdout, env);
        else
            printf("null");
        printf(", \"threads\": %d}\n", sm_get_num_threads());
    } else {
        char l1[32], l2[32], l3[32];
        human_bytes(l1, sizeof l1, topo.l1d_bytes);
        human_bytes(l2, sizeof l2, topo.l2_bytes);
        human_bytes(l3, sizeof l3, topo.l3_bytes);
        printf("simdmask %s\n", sm_version());
        if (topo_ok) {
            printf("cpu       %s (%s)\n", topo.cpu_model, topo.cpu_id);
            printf("topology  %d package%s, %d core%s, %d PU%s, %d NUMA node%s\n", topo.packages,
                   topo.packages == 1 ? "" : "s", topo.cores, topo.cores == 1 ? "" : "s",
                   topo.pus, topo.pus == 1 ? "" : "s", topo.numa_nodes,
                   topo.numa_nodes == 1 ? "" : "s");
            printf("caches    L1d %s, L2 %s, L3 %s", l1, l2, l3);
            if (topo.l3_count > 1) printf(" x %d", topo.l3_count);
            printf("\n");
        } else {
            printf("cpu       unknown (hwloc could not read the topology)\n");
        }
        printf("features ");
        int any = 0;
        for (int b = 0; b < 32; b++) {
            const char *fname = sm_cpu_feature_name(1u << b);
            if (fname && (features & (1u << b))) printf(" %s", fname), any = 1;
        }
        printf("%s\n", any ? "" : " (none the library uses)");
        printf("backends ");
        for (size_t i = 0; i < sm_backend_count(); i++)
            printf(" %s (%s)%s", sm_backend_name(i),
                   sm_backend_supported(i) ? "supported" : "not supported by this CPU",
                   i + 1 < sm_backend_count() ? "," : "");
        printf("\nactive    %s (%s)\n", active, reason);
        if (ignored)
            printf("          SIMDMASK_BACKEND=%s ignored: %s\n", env, ignored);
        printf("threads   %d (OpenMP)\n", sm_get_num_threads());
    }
    sm__topo_free(&topo);
    return fflush(stdout) == 0 ? SM__EXIT_OK : sm__tool_fail("info", "cannot write the output");
}
