/* Clocks: the wall clock (printed, so the test can compare it with the host's), the monotonic
 * clock, and the process and thread CPU-time clocks, which must advance while the program
 * computes. Also each clock's resolution, through libc and through the raw WASI calls. */
#include "common.h"
#include <stdint.h>
#include <time.h>

static uint64_t ns(clockid_t id) {
    struct timespec ts;
    CHECK(clock_gettime(id, &ts) == 0, "clock_gettime");
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint64_t sink;

/* Work for a while: enough to move a CPU-time clock by at least a millisecond. */
static void spin(void) {
    uint64_t x = 1;
    for (int i = 0; i < 3000000; i++)
        x = x * 6364136223846793005u + 1442695040888963407u;
    sink = x;
}

int main(void) {
    struct timespec rt;
    CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0, "realtime");
    printf("realtime seconds: %lld\n", (long long)rt.tv_sec);
    time_t t = time(NULL);
    printf("time() agrees: %s\n", (t - rt.tv_sec) <= 1 && (t - rt.tv_sec) >= 0 ? "yes" : "no");

    const struct { clockid_t id; __wasi_clockid_t wasi; const char *name; } clocks[] = {
        {CLOCK_REALTIME, __WASI_CLOCKID_REALTIME, "realtime"},
        {CLOCK_MONOTONIC, __WASI_CLOCKID_MONOTONIC, "monotonic"},
        {CLOCK_PROCESS_CPUTIME_ID, __WASI_CLOCKID_PROCESS_CPUTIME_ID, "process cputime"},
        {CLOCK_THREAD_CPUTIME_ID, __WASI_CLOCKID_THREAD_CPUTIME_ID, "thread cputime"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec res;
        CHECK(clock_getres(clocks[i].id, &res) == 0, "clock_getres");
        __wasi_timestamp_t wres = 0;
        __wasi_errno_t e = __wasi_clock_res_get(clocks[i].wasi, &wres);
        printf("%s resolution: %s, raw %s\n", clocks[i].name,
               (res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000) ? "ok" : "BAD",
               e == 0 && wres > 0 && wres <= 1000000 ? "ok" : "BAD");
    }

    uint64_t m0 = ns(CLOCK_MONOTONIC);
    uint64_t p0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t t0 = ns(CLOCK_THREAD_CPUTIME_ID);
    spin();
    uint64_t m1 = ns(CLOCK_MONOTONIC);
    uint64_t p1 = ns(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t t1 = ns(CLOCK_THREAD_CPUTIME_ID);
    printf("monotonic advances: %s\n", m1 > m0 ? "yes" : "no");
    printf("process cputime advances: %s\n", p1 > p0 ? "yes" : "no");
    printf("thread cputime advances: %s\n", t1 > t0 ? "yes" : "no");
    /* CPU time cannot run ahead of wall time by much (one thread). */
    printf("cputime within elapsed time: %s\n",
           (p1 - p0) <= (m1 - m0) + 5000000 ? "yes" : "no");

    __wasi_timestamp_t raw = 0;
    printf("raw monotonic: %s\n",
           __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &raw) == 0 && raw >= m1 ? "ok" : "BAD");
    printf("bad clock id: %s\n", wasi_errno_name(__wasi_clock_time_get(99, 1, &raw)));
    return 0;
}
