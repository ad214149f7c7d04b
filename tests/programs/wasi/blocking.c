/* Blocks forever in one WASI call, for the tests of time limits and cancellation.
 * usage: blocking sleep|stdin|accept|recv
 *   sleep   usleep for 60 s (poll_oneoff on a clock), then print "woke";
 *   stdin   read standard input until it ends (run it with a pipe that nobody writes to);
 *   accept  listen on 127.0.0.1 (a free port) and accept a connection nobody makes;
 *   recv    connect to itself over 127.0.0.1 and receive from a peer that never sends.
 * Each prints "blocking in MODE" (flushed) just before the call that blocks, and prints what
 * happened if that call ever returns. */
#include "common.h"
#include "sock.h"
#include <string.h>
#include <unistd.h>

/* sock.h declares sock_accept with the V2 signature, which hosts bind through WasmEdge's
 * fallback; this program imports the V1 one, so that it runs where a host has no fallback. */
WASMEDGE_IMPORT("sock_accept")
uint32_t sock_accept_v1(uint32_t fd, uint32_t *new_fd);

#define FAIL(what, e)                                                          \
    do {                                                                       \
        printf("%s: %s\n", what, wasi_errno_name(e));                          \
        return 1;                                                              \
    } while (0)

static void blocking_in(const char *mode) {
    printf("blocking in %s\n", mode);
    fflush(stdout);
}

/* A listening TCP socket on 127.0.0.1 and a free port; 0 or the errno. */
static uint32_t listen_any(uint32_t *fd, uint32_t *port) {
    uint32_t e;
    if ((e = wasmedge_sock_open(AF_INET4, SOCK_STREAM_, fd)) != 0)
        return e;
    uint8_t ip[4] = {127, 0, 0, 1};
    wasi_address_t addr = {ip, 4};
    if ((e = wasmedge_sock_bind(*fd, &addr, 0)) != 0)
        return e;
    if ((e = wasmedge_sock_listen(*fd, 8)) != 0)
        return e;
    uint8_t local[4] = {0};
    wasi_address_t local_addr = {local, 4};
    uint32_t family = 0;
    return wasmedge_sock_getlocaladdr(*fd, &local_addr, &family, port);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    uint32_t e;
    if (strcmp(mode, "sleep") == 0) {
        blocking_in(mode);
        usleep(60u * 1000u * 1000u);
        printf("woke\n");
        return 0;
    }
    if (strcmp(mode, "stdin") == 0) {
        blocking_in(mode);
        char buf[256];
        ssize_t n;
        while ((n = read(0, buf, sizeof buf)) > 0) {
        }
        printf("read returned %d\n", (int)n);
        return 0;
    }
    if (strcmp(mode, "accept") == 0) {
        uint32_t fd, port, conn;
        if ((e = listen_any(&fd, &port)) != 0)
            FAIL("listen", e);
        blocking_in(mode);
        e = sock_accept_v1(fd, &conn);
        printf("sock_accept returned %s\n", wasi_errno_name(e));
        return 0;
    }
    if (strcmp(mode, "recv") == 0) {
        uint32_t fd, port, client, conn;
        if ((e = listen_any(&fd, &port)) != 0)
            FAIL("listen", e);
        if ((e = wasmedge_sock_open(AF_INET4, SOCK_STREAM_, &client)) != 0)
            FAIL("sock_open", e);
        uint8_t ip[4] = {127, 0, 0, 1};
        wasi_address_t addr = {ip, 4};
        if ((e = wasmedge_sock_connect(client, &addr, port)) != 0)
            FAIL("sock_connect", e);
        if ((e = sock_accept_v1(fd, &conn)) != 0)
            FAIL("sock_accept", e);
        blocking_in(mode);
        char buf[64];
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
        uint32_t n = 0, oflags = 0;
        e = wasmedge_sock_recv(client, &iov, 1, 0, &n, &oflags);
        printf("sock_recv returned %s, %u bytes\n", wasi_errno_name(e), n);
        return 0;
    }
    fprintf(stderr, "usage: blocking sleep|stdin|accept|recv\n");
    return 2;
}
