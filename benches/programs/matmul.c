/* Dense f64 matrix multiply: a floating-point and memory-access benchmark.
 *
 * run(n) fills two n-by-n matrices (n is clamped to 1..MAX_N) from a
 * 32-bit LCG, multiplies them with the naive i-k-j triple loop, and
 * returns a 64-bit hash of the bit patterns of every element of the
 * product. IEEE-754 f64 arithmetic without FMA contraction makes the
 * result bit-exact across compilers and runtimes. */

typedef long long result_t;
#define DEFAULT_ARG 280
#define SMALL_ARG 128

#define MAX_N 320

static double a[MAX_N * MAX_N];
static double b[MAX_N * MAX_N];
static double c[MAX_N * MAX_N];

static unsigned lcg_state;

static double next_value(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    /* A value in [-8, 8) with a few fractional bits. */
    return (double)(int)(lcg_state >> 20) / 256.0 - 8.0;
}

result_t run(int n) {
    if (n < 1)
        n = 1;
    if (n > MAX_N)
        n = MAX_N;
    lcg_state = 12345u;
    for (int i = 0; i < n * n; i++) {
        a[i] = next_value();
        b[i] = next_value();
        c[i] = 0.0;
    }
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (int j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
    }
    unsigned long long h = 14695981039346656037ull; /* FNV-1a offset */
    for (int i = 0; i < n * n; i++) {
        union { double d; unsigned long long u; } bits = { c[i] };
        h = (h ^ bits.u) * 1099511628211ull;
    }
    return (result_t)h;
}
