/* Quicksort of pseudo-random i32 arrays: a compare, branch and swap benchmark.
 *
 * run(n) sorts a LEN-element array n times, each time refilled from a
 * xorshift32 generator that carries on from the previous round. The sort is
 * a median-of-three quicksort that recurses into the smaller part and falls
 * back to insertion sort on short ranges. The checksum folds every element
 * of every sorted array with its index, so an unsorted element changes it. */

typedef int result_t;
#define DEFAULT_ARG 12
#define SMALL_ARG 1

#define LEN 65536
#define INSERTION_MAX 16

static int data[LEN];
static unsigned rng_state = 2463534242u;

static unsigned xorshift32(void) {
    unsigned x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void swap(int *x, int *y) {
    int t = *x;
    *x = *y;
    *y = t;
}

static void insertion_sort(int *v, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        int x = v[i];
        int j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(int *v, int lo, int hi) {
    while (hi - lo > INSERTION_MAX) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        int pivot = v[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap(&v[i], &v[j]);
                i++;
                j--;
            }
        }
        /* Recurse into the smaller part, loop on the larger: the stack
         * stays O(log n) deep. */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion_sort(v, lo, hi);
}

result_t run(int n) {
    rng_state = 2463534242u;
    unsigned checksum = 0;
    for (int round = 0; round < n; round++) {
        for (int i = 0; i < LEN; i++)
            data[i] = (int)xorshift32();
        quicksort(data, 0, LEN - 1);
        for (int i = 0; i < LEN; i++)
            checksum = (checksum ^ (unsigned)data[i]) * 16777619u + (unsigned)i;
    }
    return (result_t)checksum;
}
