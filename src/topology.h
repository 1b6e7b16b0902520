/*
 * Machine topology and thread binding over hwloc, for the command-line tool
 * and the benchmarks (which record it next to their figures). The library
 * proper never uses this: it must not depend on hwloc.
 *
 * Every function fails softly: a topology that cannot be read leaves the
 * counts at 0 and the model "unknown"; a binding the OS refuses (containers
 * and cgroups often do) returns a nonzero status and says why in the text.
 */
#ifndef SIMDMASK_TOPOLOGY_H
#define SIMDMASK_TOPOLOGY_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sm__topo {
    char cpu_model[128];    /* hwloc's CPUModel info of package 0, "unknown" if none */
    char cpu_id[96];        /* "<vendor> family F model M stepping S" (x86) or "implementer
                             * 0x41 part 0xd0c variant 0x3 revision 1" (Arm), as hwloc reads
                             * them; "unknown" if hwloc has neither */
    int packages;
    int cores;
    int pus;                /* processing units (hardware threads) */
    int numa_nodes;
    size_t l1d_bytes;       /* size of one instance (the first one), 0 if unknown */
    size_t l2_bytes;
    size_t l3_bytes;
    int l3_count;           /* L3 instances (e.g. one per CCX on AMD) */
    void *hw;               /* the loaded hwloc_topology_t; NULL if loading failed */
} sm__topo;

/* Loads the topology of the machine (the PUs this process may use) and fills
 * *t. Returns 0, or -1 if hwloc failed (t is still usable: counts 0,
 * binding refused). Release with sm__topo_free. */
int sm__topo_load(sm__topo *t);
void sm__topo_free(sm__topo *t);

/* The topology as one JSON object on one line:
 * {"cpu_model": "...", "cpu_id": "...", "packages": 1, "cores": 2, "pus": 2, "numa_nodes": 1,
 *  "l1d_bytes": 49152, "l2_bytes": 2097152, "l3_bytes": 110100480, "l3_count": 1}
 * sm__topo_json works like snprintf: writes at most size bytes (NUL
 * included) and returns the length the whole object needs. */
int sm__topo_json(const sm__topo *t, char *buf, size_t size);
int sm__topo_write_json(const sm__topo *t, FILE *f);   /* 0 or -1 (write error) */

/* Binds the calling thread to PU 0 of core `core` (modulo the core count).
 * Writes e.g. "thread -> core 3 (PU 3)" or "not bound: <reason>" into desc
 * (may be NULL). Returns 0 if bound, -1 otherwise. */
int sm__topo_bind_core(const sm__topo *t, int core, char *desc, size_t size);

/* Outside a parallel region: opens an OpenMP team of `threads` threads
 * (0: omp_get_max_threads()) in which thread i binds itself to PU 0 of core
 * i % cores. libgomp and LLVM's libomp reuse the same worker threads for
 * later parallel regions of that size, so the binding holds for them (the
 * library's row loops included). Writes e.g. "omp thread 0 -> core 0 (PU 0),
 * thread 1 -> core 1 (PU 1)" into desc (may be NULL; truncated to size).
 * Returns 0 if every thread was bound, -1 if any was not (desc then says
 * which and why).
 * Inside a parallel region (called by every thread of the team): the calling
 * thread binds itself the same way and desc describes that thread alone.
 * Note: LLVM's libomp sizes its default team from the affinity mask it sees
 * at its first use, so binding the main thread with sm__topo_bind_core
 * before any OpenMP call leaves it one thread; call this one first. */
int sm__topo_bind_omp(const sm__topo *t, int threads, char *desc, size_t size);

#ifdef __cplusplus
}
#endif

#endif
