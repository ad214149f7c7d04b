/* A guest of the wasmedge_image plug-in.
 *
 *   image load FUNC FILE W H TYPE [LEN]
 *       reads FILE (its first LEN bytes when given), calls FUNC (load_jpg, load_png or
 *       load_image) for a W x H tensor of TYPE into a buffer of exactly the size needed, and
 *       prints "errno N", then on success "fnv HASH" (FNV-1a 64 of the tensor) and the first
 *       and last pixels ("first a b c", "last a b c"; floats with %.6f).
 *   image bounds FILE
 *       calls load_image with buffers at the edge of and past memory, and too small, and prints
 *       one "NAME errno N" line per case.
 *   image repeat FILE N
 *       decodes FILE to 224x224 RGB32F N times (for timing), prints the last hash.
 * Exits 0 unless it cannot run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "image"
#include "guest.h"

#define IMPORT(name) __attribute__((import_module("wasmedge_image"), import_name(name)))
typedef int32_t (*load_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("load_jpg") int32_t load_jpg(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("load_png") int32_t load_png(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("load_image") int32_t load_image(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

static uint64_t fnv(const unsigned char *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static void print_px(const char *what, const unsigned char *p, int is_f32) {
  if (is_f32) {
    float f[3];
    memcpy(f, p, sizeof f);
    printf("%s %.6f %.6f %.6f\n", what, f[0], f[1], f[2]);
  } else {
    printf("%s %u %u %u\n", what, p[0], p[1], p[2]);
  }
}

static load_fn pick(const char *name) {
  if (!strcmp(name, "load_jpg")) return load_jpg;
  if (!strcmp(name, "load_png")) return load_png;
  if (!strcmp(name, "load_image")) return load_image;
  fprintf(stderr, "unknown function %s\n", name);
  exit(2);
}

static int load(int argc, char **argv) {
  if (argc < 7) return 2;
  uint32_t len;
  unsigned char *img = guest_read_file(argv[3], &len);
  if (argc > 7 && (size_t)atol(argv[7]) < len) len = (size_t)atol(argv[7]);
  uint32_t w = atoi(argv[4]), h = atoi(argv[5]), type = atoi(argv[6]);
  int is_f32 = type >= 2;
  size_t size = (size_t)w * h * 3 * (is_f32 ? 4 : 1);
  unsigned char *out = malloc(size ? size : 1);
  memset(out, 0xEE, size);
  int32_t e = pick(argv[2])((uint32_t)img, (uint32_t)len, w, h, type, (uint32_t)out, (uint32_t)size);
  printf("errno %d\n", e);
  if (e == 0 && size > 0) {
    printf("fnv %016llx\n", (unsigned long long)fnv(out, size));
    print_px("first", out, is_f32);
    print_px("last", out + size - 3 * (is_f32 ? 4 : 1), is_f32);
  }
  return 0;
}

static int bounds(int argc, char **argv) {
  if (argc < 3) return 2;
  uint32_t len;
  unsigned char *img = guest_read_file(argv[2], &len);
  uint32_t end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536);
  unsigned char *out = malloc(10 * 10 * 3);
  struct { const char *name; uint32_t in, in_len, w, h, type, out, out_len; } cases[] = {
    {"ok", (uint32_t)img, len, 10, 10, 0, (uint32_t)out, 300},
    {"in_past_end", end - 8, (uint32_t)len, 10, 10, 0, (uint32_t)out, 300},
    {"in_len_huge", (uint32_t)img, 0xFFFFFFF0u, 10, 10, 0, (uint32_t)out, 300},
    {"out_past_end", (uint32_t)img, len, 10, 10, 0, end - 100, 300},
    {"out_wraps", (uint32_t)img, len, 10, 10, 0, 0xFFFFFF00u, 0x200},
    {"out_short", (uint32_t)img, len, 10, 10, 0, (uint32_t)out, 299},
    {"out_short_f32", (uint32_t)img, len, 10, 10, 2, (uint32_t)out, 300},
    {"huge_request", (uint32_t)img, len, 65536, 65536, 0, (uint32_t)out, 300},
    {"wrapping_request", (uint32_t)img, len, 0x10000, 0x5556, 0, (uint32_t)out, 300},
    {"bad_type", (uint32_t)img, len, 10, 10, 4, (uint32_t)out, 300},
    {"zero_width", (uint32_t)img, len, 0, 10, 0, (uint32_t)out, 300},
    {"empty_input", (uint32_t)img, 0, 10, 10, 0, (uint32_t)out, 300},
    {"truncated", (uint32_t)img, (uint32_t)(len / 2), 10, 10, 0, (uint32_t)out, 300},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int32_t e = load_image(cases[i].in, cases[i].in_len, cases[i].w, cases[i].h, cases[i].type,
                           cases[i].out, cases[i].out_len);
    printf("%s errno %d\n", cases[i].name, e);
  }
  return 0;
}

static int repeat(int argc, char **argv) {
  if (argc < 4) return 2;
  uint32_t len;
  unsigned char *img = guest_read_file(argv[2], &len);
  int n = atoi(argv[3]);
  size_t size = 224 * 224 * 3 * 4;
  unsigned char *out = malloc(size);
  for (int i = 0; i < n; i++)
    if (load_image((uint32_t)img, len, 224, 224, 2, (uint32_t)out, size) != 0) return 1;
  printf("fnv %016llx\n", (unsigned long long)fnv(out, size));
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "load")) return load(argc, argv);
  if (argc > 1 && !strcmp(argv[1], "bounds")) return bounds(argc, argv);
  if (argc > 1 && !strcmp(argv[1], "repeat")) return repeat(argc, argv);
  fprintf(stderr, "usage: image load|bounds|repeat ...\n");
  return 2;
}
