/* Sleeping and polling: nanosleep and usleep, poll_oneoff with a relative and an absolute
 * clock subscription, an fd subscription on stdout (writable at once) next to a long clock,
 * an empty subscription list, and sched_yield. Elapsed times are checked against the
 * monotonic clock with generous upper bounds, and printed as yes/no. */
#include "common.h"
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>

static uint64_t now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define MS 1000000ull

static void report(const char *what, uint64_t start, uint64_t min_ns) {
    uint64_t took = now() - start;
    printf("%s: %s\n", what, took >= min_ns && took < min_ns + 2000 * MS ? "yes" : "no");
}

int main(void) {
    uint64_t t = now();
    struct timespec req = {0, 50 * MS};
    printf("nanosleep: %d\n", nanosleep(&req, NULL));
    report("slept at least 50ms", t, 50 * MS);

    t = now();
    printf("usleep: %d\n", usleep(30000));
    report("slept at least 30ms", t, 30 * MS);

    __wasi_subscription_t sub;
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    memset(&sub, 0, sizeof sub);
    sub.userdata = 7;
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub.u.u.clock.timeout = 20 * MS;
    t = now();
    __wasi_errno_t e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
    printf("relative clock: %s, %u event(s), userdata %llu, type %s, error %s\n",
           wasi_errno_name(e), (unsigned)n, (unsigned long long)ev.userdata,
           ev.type == __WASI_EVENTTYPE_CLOCK ? "clock" : "other", wasi_errno_name(ev.error));
    report("waited at least 20ms", t, 20 * MS);

    __wasi_timestamp_t base = 0;
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &base);
    sub.userdata = 8;
    sub.u.u.clock.timeout = base + 25 * MS;
    sub.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    t = now();
    e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
    printf("absolute clock: %s, %u event(s), userdata %llu\n", wasi_errno_name(e), (unsigned)n,
           (unsigned long long)ev.userdata);
    report("waited until the deadline", t, 20 * MS);

    __wasi_subscription_t subs[2];
    __wasi_event_t evs[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 5000 * MS;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[1].u.u.fd_write.file_descriptor = 1;
    t = now();
    e = __wasi_poll_oneoff(subs, evs, 2, &n);
    int got_write = 0;
    for (unsigned i = 0; i < n; i++)
        if (evs[i].userdata == 2 && evs[i].type == __WASI_EVENTTYPE_FD_WRITE && evs[i].error == 0)
            got_write = 1;
    printf("stdout writable: %s, %s\n", wasi_errno_name(e), got_write ? "yes" : "no");
    uint64_t took = now() - t;
    printf("returned before the 5s clock: %s\n", took < 2000 * MS ? "yes" : "no");

    /* Runtimes differ here (wasmtime refuses with EINVAL); it must not block or invent events. */
    n = 99;
    e = __wasi_poll_oneoff(subs, evs, 0, &n);
    printf("no subscriptions: %s\n", e != 0 ? "refused" : n == 0 ? "no events" : "EVENTS");
    printf("sched_yield: %d\n", sched_yield());
    return 0;
}
