/* Lists the preopened directories, descriptor and name, in descriptor order, then what
 * fd_prestat_get says of the first descriptor after them (EBADF ends wasi-libc's scan). */
#include "common.h"
#include <string.h>

int main(void) {
    __wasi_fd_t fd = 3;
    for (;; fd++) {
        __wasi_prestat_t pre;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &pre);
        if (e != 0) {
            printf("fd %u: %s\n", (unsigned)fd, wasi_errno_name(e));
            break;
        }
        char name[256] = {0};
        if (pre.u.dir.pr_name_len < sizeof name)
            e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, pre.u.dir.pr_name_len);
        printf("fd %u: %s\n", (unsigned)fd, e == 0 ? name : wasi_errno_name(e));
    }
    return 0;
}
