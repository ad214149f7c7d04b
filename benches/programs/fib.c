/* Recursive Fibonacci: a call-heavy benchmark.
 *
 * run(n) returns fib(n) (wrapping in 32 bits), computed by the naive
 * doubly-recursive definition, so the work is about 1.6^n calls. */

typedef int result_t;
#define DEFAULT_ARG 35
#define SMALL_ARG 30

static int fib(int n) {
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

result_t run(int n) {
    return fib(n);
}
