/* WasmEdge's socket extension, declared by hand (wasi-libc does not declare it). Numbering as
 * in WasmEdge: address family inet4 = 1, inet6 = 2, unix = 3; socket type dgram = 1,
 * stream = 2. Every function returns a WASI errno.
 *
 * Two ABIs (see WasmEdge's lib/host/wasi/wasifunc.cpp):
 *  - V1, the plain names: an address is {buf, buf_len} with a 4- or 16-byte IP address.
 *  - V2, the `_v2` names: the buffer may be 128 bytes, a little-endian u16 family followed by
 *    the address bytes; sock_accept_v2 takes fd flags.
 * A module that imports a plain name with the V2 signature gets the V2 function (WasmEdge's
 * fallback); tcp_server uses that for sock_accept. */
#ifndef WEDGE_TEST_SOCK_H
#define WEDGE_TEST_SOCK_H

#include <stdint.h>
#include <wasi/api.h>

#define WASMEDGE_IMPORT(name)                                                  \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

enum { AF_INET4 = 1, AF_INET6_ = 2 };
enum { SOCK_DGRAM_ = 1, SOCK_STREAM_ = 2 };

typedef struct {
    uint8_t *buf;
    uint32_t buf_len;
} wasi_address_t;

WASMEDGE_IMPORT("sock_open")
uint32_t wasmedge_sock_open(uint32_t family, uint32_t type, uint32_t *fd);
WASMEDGE_IMPORT("sock_bind")
uint32_t wasmedge_sock_bind(uint32_t fd, wasi_address_t *addr, uint32_t port);
WASMEDGE_IMPORT("sock_listen")
uint32_t wasmedge_sock_listen(uint32_t fd, uint32_t backlog);
/* The V2 signature under the plain name: linked to sock_accept_v2 by the fallback. */
WASMEDGE_IMPORT("sock_accept")
uint32_t wasmedge_sock_accept(uint32_t fd, uint32_t fdflags, uint32_t *new_fd);
WASMEDGE_IMPORT("sock_connect")
uint32_t wasmedge_sock_connect(uint32_t fd, wasi_address_t *addr, uint32_t port);
WASMEDGE_IMPORT("sock_recv")
uint32_t wasmedge_sock_recv(uint32_t fd, __wasi_iovec_t *iovs, uint32_t iovs_len, uint32_t flags,
                            uint32_t *n, uint32_t *oflags);
WASMEDGE_IMPORT("sock_send")
uint32_t wasmedge_sock_send(uint32_t fd, const __wasi_ciovec_t *iovs, uint32_t iovs_len,
                            uint32_t flags, uint32_t *n);
WASMEDGE_IMPORT("sock_shutdown")
uint32_t wasmedge_sock_shutdown(uint32_t fd, uint32_t how);
WASMEDGE_IMPORT("sock_setsockopt")
uint32_t wasmedge_sock_setsockopt(uint32_t fd, uint32_t level, uint32_t name, const void *value,
                                  uint32_t len);
WASMEDGE_IMPORT("sock_getlocaladdr")
uint32_t wasmedge_sock_getlocaladdr(uint32_t fd, wasi_address_t *addr, uint32_t *type,
                                    uint32_t *port);

WASMEDGE_IMPORT("sock_open_v2")
uint32_t wasmedge_sock_open_v2(uint32_t family, uint32_t type, uint32_t *fd);
WASMEDGE_IMPORT("sock_connect_v2")
uint32_t wasmedge_sock_connect_v2(uint32_t fd, wasi_address_t *addr, uint32_t port);
WASMEDGE_IMPORT("sock_getpeeraddr_v2")
uint32_t wasmedge_sock_getpeeraddr_v2(uint32_t fd, wasi_address_t *addr, uint32_t *port);

/* sock_shutdown's `how`: WASI sdflags. */
enum { SHUT_RD_ = 1, SHUT_WR_ = 2 };
/* sock_setsockopt: level SOL_SOCKET = 0, SO_REUSEADDR = 0 in WasmEdge's numbering. */
enum { SOL_SOCKET_ = 0, SO_REUSEADDR_ = 0 };

#endif
