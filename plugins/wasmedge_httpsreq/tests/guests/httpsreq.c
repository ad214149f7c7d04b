/* A guest of the wasmedge_httpsreq plug-in.
 *
 *   httpsreq get HOST PORT [PATH]
 *       sends "GET PATH HTTP/1.1" (Host: HOST, Connection: close) to HOST:PORT and prints
 *       "len N" and then the reply as received.
 *   httpsreq twice HOST PORT
 *       sends two requests in a row and prints both lengths and the second reply.
 *   httpsreq bad_host HOST PORT | bad_body HOST PORT | bad_buf HOST PORT
 *       passes a host name or body past the end of memory, or a receive buffer past it; the
 *       plug-in traps, so nothing after the call is printed.
 *   httpsreq repeat HOST PORT N
 *       sends N requests one after the other (for timing) and prints the last length.
 *   httpsreq empty_buf
 *       get_rcv into a buffer past memory before any reply: nothing to copy, no trap.
 * Exits 0 when the calls return. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("wasmedge_httpsreq"), import_name(name)))
IMPORT("wasmedge_httpsreq_send_data") void send_data(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("wasmedge_httpsreq_get_rcv_len") uint32_t get_rcv_len(void);
IMPORT("wasmedge_httpsreq_get_rcv") void get_rcv(uint32_t);

static char request[1024];

static void send(const char *host, const char *port, const char *path) {
  int n = snprintf(request, sizeof request,
                   "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
  send_data((uint32_t)host, strlen(host), atoi(port), (uint32_t)request, n);
}

static void print_reply(void) {
  uint32_t len = get_rcv_len();
  char *buf = malloc(len + 1);
  get_rcv((uint32_t)buf);
  printf("len %u\n", len);
  fwrite(buf, 1, len, stdout);
  free(buf);
}

int main(int argc, char **argv) {
  uint32_t end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536);
  if (argc == 2 && !strcmp(argv[1], "empty_buf")) {
    get_rcv(end + 16);
    printf("no trap, len %u\n", get_rcv_len());
    return 0;
  }
  if (argc < 4) {
    fprintf(stderr, "usage: httpsreq get|twice|bad_host|bad_body|bad_buf HOST PORT [PATH]\n");
    return 2;
  }
  const char *mode = argv[1], *host = argv[2], *port = argv[3];
  if (!strcmp(mode, "get")) {
    send(host, port, argc > 4 ? argv[4] : "/");
    print_reply();
  } else if (!strcmp(mode, "twice")) {
    send(host, port, "/first");
    printf("first len %u\n", get_rcv_len());
    send(host, port, "/second");
    print_reply();
  } else if (!strcmp(mode, "repeat") && argc > 4) {
    for (int i = atoi(argv[4]); i > 0; i--) send(host, port, "/");
    printf("len %u\n", get_rcv_len());
  } else if (!strcmp(mode, "bad_host")) {
    send_data(end - 4, 100, atoi(port), (uint32_t)request, 10);
    printf("returned\n");
  } else if (!strcmp(mode, "bad_body")) {
    send_data((uint32_t)host, strlen(host), atoi(port), end - 4, 100);
    printf("returned\n");
  } else if (!strcmp(mode, "bad_buf")) {
    send(host, port, "/");
    printf("len %u\n", get_rcv_len());
    fflush(stdout);
    get_rcv(end - 4);
    printf("returned\n");
  } else {
    return 2;
  }
  return 0;
}
