/* hwloc topology and thread binding for the tool and the benchmarks. */
#include <errno.h>
#include <hwloc.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

static int count(hwloc_topology_t hw, hwloc_obj_type_t type)
{
    int n = hwloc_get_nbobjs_by_type(hw, type);
    return n < 0 ? 0 : n;   /* -1: objects of that type sit at several depths */
}

static size_t cache_size(hwloc_topology_t hw, hwloc_obj_type_t type)
{
    hwloc_obj_t o = hwloc_get_obj_by_type(hw, type, 0);
    return o && o->attr ? (size_t)o->attr->cache.size : 0;
}

/* hwloc's info `name` of package 0, else of the root; NULL if neither has it. */
static const char *info(hwloc_topology_t hw, hwloc_obj_t pkg, const char *name)
{
    const char *v = pkg ? hwloc_obj_get_info_by_name(pkg, name) : NULL;
    if (v == NULL) v = hwloc_obj_get_info_by_name(hwloc_get_root_obj(hw), name);
    return v && *v ? v : NULL;
}

/* Virtual machines often name the CPU generically ("AMD EPYC" for Zen 3,
 * family 25 model 1, and Zen 4, family 25 model 17, alike), so benchmark
 * records carry the numbers that tell CPUs apart. */
static void cpu_id(hwloc_topology_t hw, hwloc_obj_t pkg, char *buf, size_t size)
{
    const char *fam = info(hw, pkg, "CPUFamilyNumber"), *mod = info(hw, pkg, "CPUModelNumber");
    const char *impl = info(hw, pkg, "CPUImplementer"), *part = info(hw, pkg, "CPUPart");
    if (fam && mod) {
        const char *vendor = info(hw, pkg, "CPUVendor"), *step = info(hw, pkg, "CPUStepping");
        snprintf(buf, size, "%s family %s model %s stepping %s", vendor ? vendor : "unknown-vendor",
                 fam, mod, step ? step : "?");
    } else if (impl && part) {
        const char *var = info(hw, pkg, "CPUVariant"), *rev = info(hw, pkg, "CPURevision");
        snprintf(buf, size, "implementer %s part %s variant %s revision %s", impl, part,
                 var ? var : "?", rev ? rev : "?");
    }
}

int sm__topo_load(sm__topo *t)
{
    memset(t, 0, sizeof *t);
    strcpy(t->cpu_model, "unknown");
    strcpy(t->cpu_id, "unknown");
    hwloc_topology_t hw;
    if (hwloc_topology_init(&hw) != 0) return -1;
    if (hwloc_topology_load(hw) != 0) {
        hwloc_topology_destroy(hw);
        return -1;
    }
    t->hw = hw;
    hwloc_obj_t pkg = hwloc_get_obj_by_type(hw, HWLOC_OBJ_PACKAGE, 0);
    const char *model = info(hw, pkg, "CPUModel");
    if (model) snprintf(t->cpu_model, sizeof t->cpu_model, "%s", model);
    cpu_id(hw, pkg, t->cpu_id, sizeof t->cpu_id);
    t->packages = count(hw, HWLOC_OBJ_PACKAGE);
    t->cores = count(hw, HWLOC_OBJ_CORE);
    t->pus = count(hw, HWLOC_OBJ_PU);
    t->numa_nodes = count(hw, HWLOC_OBJ_NUMANODE);
    t->l1d_bytes = cache_size(hw, HWLOC_OBJ_L1CACHE);   /* L1i is HWLOC_OBJ_L1ICACHE */
    t->l2_bytes = cache_size(hw, HWLOC_OBJ_L2CACHE);
    t->l3_bytes = cache_size(hw, HWLOC_OBJ_L3CACHE);
    t->l3_count = count(hw, HWLOC_OBJ_L3CACHE);
    return 0;
}

void sm__topo_free(sm__topo *t)
{
    if (t->hw) hwloc_topology_destroy((hwloc_topology_t)t->hw);
    t->hw = NULL;
}

/* Appends to buf like snprintf, tracking the length the whole text needs. */
typedef struct out {
    char *buf;
    size_t size;
    size_t len;
} out;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
}

static void put_json_string(out *o, const char *s)
{
    put(o, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(o, "\\%c", c);
        else if (c < 0x20)
            put(o, "\\u%04x", c);
        else
            put(o, "%c", c);
    }
    put(o, "\"");
}

int sm__topo_json(const sm__topo *t, char *buf, size_t size)
{
    out o = { buf, size, 0 };
    if (buf && size) buf[0] = '\0';
    put(&o, "{\"cpu_model\": ");
    put_json_string(&o, t->cpu_model);
    put(&o, ", \"cpu_id\": ");
    put_json_string(&o, t->cpu_id);
    put(&o,
        ", \"packages\": %d, \"cores\": %d, \"pus\": %d, \"numa_nodes\": %d"
        ", \"l1d_bytes\": %zu, \"l2_bytes\": %zu, \"l3_bytes\": %zu, \"l3_count\": %d}",
        t->packages, t->cores, t->pus, t->numa_nodes, t->l1d_bytes, t->l2_bytes, t->l3_bytes,
        t->l3_count);
    return (int)o.len;
}

int sm__topo_write_json(const sm__topo *t, FILE *f)
{
    char small[512];
    int n = sm__topo_json(t, small, sizeof small);
    if (n < 0) return -1;
    char *buf = small;
    if ((size_t)n >= sizeof small) {   /* only with a pathological model string */
        buf = malloc((size_t)n + 1);
        if (!buf) return -1;
        sm__topo_json(t, buf, (size_t)n + 1);
    }
    int ok = fputs(buf, f) >= 0;
    if (buf != small) free(buf);
    return ok ? 0 : -1;
}

/* Binds the calling thread to PU 0 of core `core`; fills *pu_os with the OS
 * number of that PU. Returns 0 or an errno value (ENODEV: no such core). */
static int bind_thread(const sm__topo *t, int core, int *core_out, unsigned *pu_os)
{
    hwloc_topology_t hw = (hwloc_topology_t)t->hw;
    *core_out = -1;
    *pu_os = 0;
    if (!hw || t->cores <= 0) return ENODEV;
    if (core < 0) core = -core;
    core %= t->cores;
    *core_out = core;
    hwloc_obj_t c = hwloc_get_obj_by_type(hw, HWLOC_OBJ_CORE, (unsigned)core);
    hwloc_obj_t pu = c ? hwloc_get_obj_inside_cpuset_by_type(hw, c->cpuset, HWLOC_OBJ_PU, 0) : NULL;
    if (!pu) return ENODEV;
    *pu_os = pu->os_index;
    errno = 0;
    if (hwloc_set_cpubind(hw, pu->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT) != 0)
        return errno ? errno : EPERM;
    return 0;
}

int sm__topo_bind_core(const sm__topo *t, int core, char *desc, size_t size)
{
    int c;
    unsigned pu;
    int err = bind_thread(t, core, &c, &pu);
    if (desc && size) {
        if (err == 0)
            snprintf(desc, size, "thread -> core %d (PU %u)", c, pu);
        else
            snprintf(desc, size, "not bound: %s", err == ENODEV ? "no topology" : strerror(err));
    }
    return err ? -1 : 0;
}

int sm__topo_bind_omp(const sm__topo *t, int threads, char *desc, size_t size)
{
    if (omp_in_parallel()) {   /* a team exists: each caller binds itself */
        int i = omp_get_thread_num(), core;
        unsigned pu;
        int err = bind_thread(t, i, &core, &pu);
        if (desc && size) {
            if (err == 0)
                snprintf(desc, size, "omp thread %d -> core %d (PU %u)", i, core, pu);
            else
                snprintf(desc, size, "omp thread %d -> not bound (%s)", i,
                         err == ENODEV ? "no topology" : strerror(err));
        }
        return err ? -1 : 0;
    }
    if (threads <= 0) threads = omp_get_max_threads();
    int *cores = calloc((size_t)threads, sizeof *cores);
    unsigned *pus = calloc((size_t)threads, sizeof *pus);
    int *errs = calloc((size_t)threads, sizeof *errs);
    if (!cores || !pus || !errs) {
        free(cores), free(pus), free(errs);
        if (desc && size) snprintf(desc, size, "not bound: out of memory");
        return -1;
    }
    int team = 0;
#pragma omp parallel num_threads(threads)
    {
        int i = omp_get_thread_num();
        if (i == 0) team = omp_get_num_threads();
        errs[i] = bind_thread(t, i, &cores[i], &pus[i]);
    }
    int failed = team < threads;   /* the runtime may give fewer threads */
    out o = { desc, desc ? size : 0, 0 };
    if (desc && size) desc[0] = '\0';
    for (int i = 0; i < team; i++) {
        put(&o, "%s%s %d -> ", i ? ", " : "", i ? "thread" : "omp thread", i);
        if (errs[i] == 0)
            put(&o, "core %d (PU %u)", cores[i], pus[i]);
        else
            put(&o, "not bound (%s)", errs[i] == ENODEV ? "no topology" : strerror(errs[i]));
        failed |= errs[i] != 0;
    }
    if (team < threads) put(&o, "; asked for %d threads, got %d", threads, team);
    free(cores), free(pus), free(errs);
    return failed ? -1 : 0;
}
