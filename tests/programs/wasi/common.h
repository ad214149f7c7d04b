/* Helpers shared by the WASI test programs: errno names (stable across libcs, unlike
 * strerror text) and raw WASI errno names. */
#ifndef WEDGE_TEST_COMMON_H
#define WEDGE_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

static const char *errno_name(int e) {
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    case ENOSYS: return "ENOSYS";
    case ESPIPE: return "ESPIPE";
    case EAGAIN: return "EAGAIN";
    case ECONNREFUSED: return "ECONNREFUSED";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "errno %d", e);
        return buf;
    }
    }
}

/* wasi-libc's errno values are the WASI errno codes, so the same names serve both. */
#define wasi_errno_name(e) errno_name((int)(e))

/* Prints "what: FAILED (...)" and exits 1 when `cond` is false. */
#define CHECK(cond, what)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("%s: FAILED (%s, line %d)\n", (what), errno_name(errno),    \
                   __LINE__);                                                  \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

#endif
