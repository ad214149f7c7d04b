/* Sieve of Eratosthenes: a byte-load/store and branch benchmark.
 *
 * run(n) sieves n times; pass i sieves the numbers below LIMIT - i, so
 * every pass does slightly different work. The checksum mixes the
 * prime count and the largest prime of every pass. */

typedef int result_t;
#define DEFAULT_ARG 16
#define SMALL_ARG 2

#define LIMIT (1 << 20)

static unsigned char composite[LIMIT];

result_t run(int n) {
    unsigned checksum = 0;
    for (int pass = 0; pass < n; pass++) {
        int limit = LIMIT - pass;
        for (int i = 0; i < limit; i++)
            composite[i] = 0;
        int count = 0;
        int largest = 0;
        for (int i = 2; i < limit; i++) {
            if (composite[i])
                continue;
            count++;
            largest = i;
            if (i > (limit - 1) / i)
                continue; /* i * i >= limit: nothing left to strike. */
            for (int j = i * i; j < limit; j += i)
                composite[j] = 1;
        }
        checksum = checksum * 31u + (unsigned)count;
        checksum ^= (unsigned)largest;
    }
    return (result_t)checksum;
}
