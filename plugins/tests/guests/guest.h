/* What the plug-in test guests share: reading a file whole, stopping at a call that must
 * succeed, and a monotonic clock in milliseconds. Define GUEST, the program's name for its
 * messages, before including this; scripts/build-guests.sh puts this directory on the include
 * path. */
#ifndef WEDGE_TEST_GUEST_H
#define WEDGE_TEST_GUEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef GUEST
#error "define GUEST (the program's name) before including guest.h"
#endif

/* The bytes of the file at PATH (a path in a preopened directory), their count in *LEN; prints
 * "GUEST: cannot open PATH" or "cannot read" and exits 1 when it cannot. The buffer has one
 * spare byte, so a text can be NUL-terminated. */
static inline uint8_t *guest_read_file(const char *path, uint32_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, GUEST ": cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, GUEST ": cannot read %s\n", path);
    exit(1);
  }
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

/* Exits 1 with "GUEST: WHAT failed with errno ERR" unless ERR is 0. */
static inline void guest_must(const char *what, uint32_t err) {
  if (err != 0) {
    fprintf(stderr, GUEST ": %s failed with errno %u\n", what, (unsigned)err);
    exit(1);
  }
}

/* CLOCK_MONOTONIC in milliseconds. */
static inline double guest_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

#endif
