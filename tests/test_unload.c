/* dlclose of the library while a thread still holds the scratch it keeps
 * between calls, and while libgomp's workers idle: the library is linked -z
 * nodelete, so the thread's exit runs the key destructor that frees the block
 * and the workers keep their code (unmapped, either crashed this test).
 * Run as `test_unload PATH` with PATH the shared library. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <simdmask.h>

/* The ASan build masks on one thread: there LeakSanitizer's exit-time scan
 * faults in its tracer once workers of an OpenMP runtime loaded by dlopen
 * (clang's libomp) have run ("Tracer caught signal 11"), with or without the
 * dlclose; on one thread, or with detect_leaks=0, the same run passes. */
#if defined(__SANITIZE_ADDRESS__)
#define ONE_THREAD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ONE_THREAD 1
#endif
#endif
#ifndef ONE_THREAD
#define ONE_THREAD 0
#endif

static void *lib;
static pthread_barrier_t called, closed;
static sm_status status = SM_EINVAL;

static void *worker(void *arg)
{
    (void)arg;
    sm_status (*rng_init)(sm_rng *, sm_rng_kind, uint64_t, uint64_t) =
        (sm_status(*)(sm_rng *, sm_rng_kind, uint64_t, uint64_t))dlsym(lib, "sm_rng_init");
    sm_status (*masking)(sm_masking *) = (sm_status(*)(sm_masking *))dlsym(lib, "sm_random_masking");
    static float mask[8 * 196];
    sm_rng g;
    sm_status (*set_threads)(int) = (sm_status(*)(int))dlsym(lib, "sm_set_num_threads");
    if (ONE_THREAD && set_threads) set_threads(1);
    if (rng_init && masking && rng_init(&g, SM_RNG_TORCH, 1, 0) == SM_OK) {
        sm_masking m = { .n = 8, .l = 196, .mask_ratio = 0.75, .rng = &g, .mask = mask };
        status = masking(&m); /* leaves this thread a kept block, and OpenMP workers */
    }
    pthread_barrier_wait(&called);
    pthread_barrier_wait(&closed);
    return NULL; /* thread exit with the library gone */
}

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    if (!(lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL))) {
        fprintf(stderr, "FAIL dlopen: %s\n", dlerror());
        return 1;
    }
    pthread_t t;
    pthread_barrier_init(&called, NULL, 2);
    pthread_barrier_init(&closed, NULL, 2);
    pthread_create(&t, NULL, worker, NULL);
    pthread_barrier_wait(&called);
    int rc = dlclose(lib);
    int mapped = 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[4096];
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, argv[1])) mapped = 1;
    if (maps) fclose(maps);
    pthread_barrier_wait(&closed);
    pthread_join(t, NULL);
    if (status != SM_OK || rc != 0) {
        fprintf(stderr, "FAIL masking status %d, dlclose %d\n", (int)status, rc);
        return 1;
    }
    printf("thread exited after dlclose (library %s)\n", mapped ? "still mapped" : "unmapped");
    return 0;
}
