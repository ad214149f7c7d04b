/* Native driver: runs a benchmark program's `run` on the host, to calibrate
 * sizes and to compute the expected checksums.
 *
 *   gcc -O2 -DPROGRAM='"fib.c"' -o /tmp/fib native.c -lm
 *   /tmp/fib [ARG|-] [REPEATS]
 *
 * Prints the checksum as a signed decimal (the value a Wasm i32/i64 result
 * holds) and the best wall time of REPEATS runs (default 1) to stderr. */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include PROGRAM

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int arg = argc > 1 && argv[1][0] != '-' ? atoi(argv[1]) : DEFAULT_ARG;
    int repeats = argc > 2 ? atoi(argv[2]) : 1;
    result_t result = 0;
    double best = 1e30;
    for (int i = 0; i < repeats; i++) {
        double start = now();
        result = run(arg);
        double elapsed = now() - start;
        if (elapsed < best)
            best = elapsed;
    }
    printf("%lld\n", (long long)result);
    fprintf(stderr, "run(%d): best of %d: %.4f s\n", arg, repeats, best);
    return 0;
}
