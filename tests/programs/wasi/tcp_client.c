/* A TCP client on WasmEdge's socket extension, V2 ABI (128-byte addresses).
 * usage: tcp_client PORT TEXT
 *        tcp_client unix-open   (only opens an AF_UNIX socket and says whether it could)
 * Connects to 127.0.0.1:PORT (retrying for a few seconds while the server starts), sends
 * TEXT in two parts, shuts down its sending side, reads the echo to the end and prints
 * "echoed: <text>", plus the peer's address as sock_getpeeraddr_v2 reports it. */
#include "common.h"
#include "sock.h"
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FAIL(what, e)                                                          \
    do {                                                                       \
        printf("%s: %s\n", what, wasi_errno_name(e));                          \
        return 1;                                                              \
    } while (0)

static uint32_t send_all(uint32_t fd, const char *p, size_t len) {
    while (len > 0) {
        __wasi_ciovec_t iov = {(const uint8_t *)p, len};
        uint32_t n = 0, e = wasmedge_sock_send(fd, &iov, 1, 0, &n);
        if (e != 0)
            return e;
        p += n;
        len -= n;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "unix-open") == 0) {
        uint32_t fd = 0, e = wasmedge_sock_open_v2(3 /* unix */, SOCK_STREAM_, &fd);
        printf("unix socket: %s\n", e == 0 ? "opened" : "refused");
        return 0;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: tcp_client PORT TEXT\n");
        return 2;
    }
    int port = atoi(argv[1]);
    const char *text = argv[2];
    uint8_t storage[128];
    memset(storage, 0, sizeof storage);
    storage[0] = AF_INET4; /* little-endian u16 family */
    storage[2] = 127;
    storage[5] = 1;
    wasi_address_t addr = {storage, sizeof storage};

    uint32_t fd = 0, e = 0;
    for (int attempt = 0; attempt < 100; attempt++) {
        if ((e = wasmedge_sock_open_v2(AF_INET4, SOCK_STREAM_, &fd)) != 0)
            FAIL("sock_open_v2", e);
        e = wasmedge_sock_connect_v2(fd, &addr, (uint32_t)port);
        if (e == 0)
            break;
        close((int)fd);
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, NULL);
    }
    if (e != 0)
        FAIL("sock_connect_v2", e);

    uint8_t peer[128];
    memset(peer, 0, sizeof peer);
    wasi_address_t peer_addr = {peer, sizeof peer};
    uint32_t peer_port = 0;
    if ((e = wasmedge_sock_getpeeraddr_v2(fd, &peer_addr, &peer_port)) != 0)
        FAIL("sock_getpeeraddr_v2", e);
    printf("connected to %u.%u.%u.%u, family %u, port matches: %s\n", peer[2], peer[3], peer[4],
           peer[5], peer[0] | peer[1] << 8, (int)peer_port == port ? "yes" : "no");

    size_t len = strlen(text), half = len / 2;
    if ((e = send_all(fd, text, half)) != 0 || (e = send_all(fd, text + half, len - half)) != 0)
        FAIL("sock_send", e);
    if ((e = wasmedge_sock_shutdown(fd, SHUT_WR_)) != 0)
        FAIL("sock_shutdown", e);

    char echo[4096];
    size_t total = 0;
    for (;;) {
        __wasi_iovec_t iov = {(uint8_t *)echo + total, sizeof echo - 1 - total};
        uint32_t n = 0, oflags = 0;
        if ((e = wasmedge_sock_recv(fd, &iov, 1, 0, &n, &oflags)) != 0)
            FAIL("sock_recv", e);
        if (n == 0 || total + n >= sizeof echo - 1)
            break;
        total += n;
    }
    echo[total] = 0;
    printf("echoed: %s\n", echo);
    close((int)fd);
    return 0;
}
