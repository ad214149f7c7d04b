/* A TCP echo server on WasmEdge's socket extension (V1 names; sock_accept through the V2
 * fallback). usage: tcp_server PORT [CONNECTIONS]
 * Listens on 127.0.0.1:PORT, prints "listening on PORT" once it accepts connections, then for
 * each of CONNECTIONS (default 1) clients echoes everything it receives until the client
 * shuts down its side, prints "served N: <text>", and closes. */
#include "common.h"
#include "sock.h"
#include <string.h>
#include <unistd.h>

#define FAIL(what, e)                                                          \
    do {                                                                       \
        printf("%s: %s\n", what, wasi_errno_name(e));                          \
        return 1;                                                              \
    } while (0)

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: tcp_server PORT [CONNECTIONS]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int connections = argc > 2 ? atoi(argv[2]) : 1;
    uint32_t fd, e;
    if ((e = wasmedge_sock_open(AF_INET4, SOCK_STREAM_, &fd)) != 0)
        FAIL("sock_open", e);
    uint32_t one = 1;
    if ((e = wasmedge_sock_setsockopt(fd, SOL_SOCKET_, SO_REUSEADDR_, &one, sizeof one)) != 0)
        FAIL("sock_setsockopt", e);
    uint8_t ip[4] = {127, 0, 0, 1};
    wasi_address_t addr = {ip, 4};
    if ((e = wasmedge_sock_bind(fd, &addr, (uint32_t)port)) != 0)
        FAIL("sock_bind", e);
    if ((e = wasmedge_sock_listen(fd, 8)) != 0)
        FAIL("sock_listen", e);
    uint8_t local[4] = {0};
    wasi_address_t local_addr = {local, 4};
    uint32_t family = 0, local_port = 0;
    if ((e = wasmedge_sock_getlocaladdr(fd, &local_addr, &family, &local_port)) != 0)
        FAIL("sock_getlocaladdr", e);
    printf("listening on %u.%u.%u.%u:%u (family %u)\n", local[0], local[1], local[2], local[3],
           local_port, family);
    fflush(stdout);

    for (int c = 1; c <= connections; c++) {
        uint32_t conn;
        if ((e = wasmedge_sock_accept(fd, 0, &conn)) != 0)
            FAIL("sock_accept", e);
        char text[4096];
        size_t total = 0;
        for (;;) {
            char buf[5]; /* small on purpose: many receives per message */
            __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
            uint32_t n = 0, oflags = 0;
            if ((e = wasmedge_sock_recv(conn, &iov, 1, 0, &n, &oflags)) != 0)
                FAIL("sock_recv", e);
            if (n == 0)
                break;
            if (total + n < sizeof text) {
                memcpy(text + total, buf, n);
                total += n;
            }
            __wasi_ciovec_t out = {(const uint8_t *)buf, n};
            uint32_t sent = 0;
            if ((e = wasmedge_sock_send(conn, &out, 1, 0, &sent)) != 0 || sent != n)
                FAIL("sock_send", e);
        }
        text[total] = 0;
        printf("served %d: %s\n", c, text);
        fflush(stdout);
        wasmedge_sock_shutdown(conn, SHUT_RD_ | SHUT_WR_);
        close((int)conn);
    }
    close((int)fd);
    return 0;
}
