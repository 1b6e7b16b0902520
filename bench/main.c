/* simdmask_bench: the benchmark suite. Google Benchmark's flags
 * (--benchmark_filter, --benchmark_repetitions, --benchmark_out, ...) plus:
 *   --quick      marks the results as bench/run's one-minute mode (which
 *                also passes fewer repetitions and a shorter min time)
 *   --shapes     print the shapes as JSON and exit (bench/torch_peer.py
 *                reads them, so PyTorch runs exactly the same cases)
 *   --threads=N  the "all cores" thread count (default: one per core)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int main(int argc, char **argv)
{
    gb_init(&argc, argv);
    bool shapes = false;
    int threads = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            bench_opts.quick = true;
        else if (strcmp(argv[i], "--shapes") == 0)
            shapes = true;
        else if (strncmp(argv[i], "--threads=", 10) == 0 && atoi(argv[i] + 10) > 0)
            threads = atoi(argv[i] + 10);
        else {
            fprintf(stderr, "simdmask_bench: unknown argument %s (see bench/main.c)\n", argv[i]);
            return 1;
        }
    }
    bench_setup(threads);
    if (shapes) {
        bench_print_shapes();
        return 0;
    }
    bench_register_kernels();
    bench_register_peers();
    bench_register_masking();
    bench_register_seeds();
    bench_context();
    int status = gb_run();
    bench_free_kept();
    return status;
}
