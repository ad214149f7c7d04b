/* A zlib program, compiled against Debian's ordinary <zlib.h> with its functions imported from
 * wasmedge_zlib (see clang-flags). It prints one line per check and exits with the number of
 * failed checks. Its output does not depend on the compressed bytes, so it is the same when
 * built natively against C zlib (after-build.sh writes stream.expected that way).
 *
 * Usage: stream [all|errors|bench MIB|oob-stream|oob-crc|oob-zstream]
 * The oob-* modes pass the plug-in a buffer past the end of memory: the call traps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static int failures;

static void check(const char *what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) failures++;
}

/* Deterministic, compressible data. */
static void fill(unsigned char *p, size_t n) {
  unsigned x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = (unsigned char)("the quick brown fox jumps over the lazy dog "[(x >> 16) % 44]);
  }
}

/* Compresses src with deflateInit2 parameters through small buffers, then inflates with
 * inflate_bits through small buffers; checks the round trip and the check values. */
static void round_trip(int level, int bits, int mem, int strategy, int inflate_bits, size_t n) {
  char what[96];
  unsigned char *src = malloc(n), *comp = malloc(n + n / 10 + 1024), *back = malloc(n + 1);
  fill(src, n);
  z_stream d;
  memset(&d, 0, sizeof d);
  int r = deflateInit2(&d, level, Z_DEFLATED, bits, mem, strategy);
  size_t clen = 0;
  int ok = r == Z_OK;
  size_t in = 0;
  while (ok) {
    size_t chunk = n - in < 1000 ? n - in : 1000;
    d.next_in = src + in;
    d.avail_in = (uInt)chunk;
    in += chunk;
    int flush = in == n ? Z_FINISH : Z_NO_FLUSH;
    do {
      d.next_out = comp + clen;
      d.avail_out = 777;
      r = deflate(&d, flush);
      clen += 777 - d.avail_out;
    } while (d.avail_out == 0);
    if (r == Z_STREAM_END) break;
    if (r != Z_OK) ok = 0;
  }
  ok = ok && d.total_in == n && d.total_out == clen;
  uLong want = bits > 15 ? crc32(0, src, (uInt)n) : adler32(1, src, (uInt)n);
  if (bits > 0) ok = ok && d.adler == want;
  ok = ok && deflateEnd(&d) == Z_OK;

  z_stream i;
  memset(&i, 0, sizeof i);
  r = inflateInit2(&i, inflate_bits);
  ok = ok && r == Z_OK;
  size_t out = 0;
  i.next_in = comp;
  i.avail_in = 0;
  size_t fed = 0;
  while (ok) {
    if (i.avail_in == 0) {
      size_t chunk = clen - fed < 300 ? clen - fed : 300;
      i.next_in = comp + fed;
      i.avail_in = (uInt)chunk;
      fed += chunk;
    }
    i.next_out = back + out;
    i.avail_out = (uInt)(n + 1 - out < 500 ? n + 1 - out : 500);
    uInt before = i.avail_out;
    r = inflate(&i, Z_NO_FLUSH);
    out += before - i.avail_out;
    if (r == Z_STREAM_END) break;
    if (r != Z_OK) ok = 0;
  }
  ok = ok && out == n && memcmp(src, back, n) == 0 && i.total_out == n && i.total_in == clen;
  if (bits > 0) ok = ok && i.adler == want;
  ok = ok && inflateEnd(&i) == Z_OK;
  snprintf(what, sizeof what, "round trip level %d bits %d mem %d strategy %d inflate %d size %zu",
           level, bits, mem, strategy, inflate_bits, n);
  check(what, ok);
  free(src);
  free(comp);
  free(back);
}

static void one_shot(void) {
  unsigned char src[5000], comp[6000], back[6000];
  fill(src, sizeof src);
  uLongf clen = sizeof comp;
  check("compress", compress(comp, &clen, src, sizeof src) == Z_OK && clen < sizeof src);
  uLongf blen = sizeof back;
  check("uncompress", uncompress(back, &blen, comp, clen) == Z_OK && blen == sizeof src &&
                          memcmp(src, back, sizeof src) == 0);
  for (int level = 0; level <= 9; level++) {
    char what[32];
    uLongf c2 = sizeof comp, b2 = sizeof back;
    snprintf(what, sizeof what, "compress2 level %d", level);
    check(what, compress2(comp, &c2, src, sizeof src, level) == Z_OK &&
                    uncompress(back, &b2, comp, c2) == Z_OK && b2 == sizeof src &&
                    memcmp(src, back, sizeof src) == 0);
  }
  uLongf c3 = sizeof comp;
  compress(comp, &c3, src, sizeof src);
  uLongf b3 = sizeof back;
  uLong s3 = c3 + 10;
  check("uncompress2 reports the source used",
        uncompress2(back, &b3, comp, &s3) == Z_OK && s3 == c3 && b3 == sizeof src);
  uLongf small = 10;
  check("compress into a small buffer: Z_BUF_ERROR", compress(comp, &small, src, sizeof src) == Z_BUF_ERROR);
  uLongf b4 = 100;
  check("uncompress into a small buffer: Z_BUF_ERROR", uncompress(back, &b4, comp, c3) == Z_BUF_ERROR);
  uLongf b5 = sizeof back;
  check("uncompress truncated input: Z_DATA_ERROR", uncompress(back, &b5, comp, c3 - 5) == Z_DATA_ERROR);
  uLongf c6 = sizeof comp;
  check("compress2 level 10: Z_STREAM_ERROR", compress2(comp, &c6, src, 10, 10) == Z_STREAM_ERROR);
  comp[0] ^= 0xff;
  uLongf b7 = sizeof back;
  check("uncompress garbage: Z_DATA_ERROR", uncompress(back, &b7, comp, c3) == Z_DATA_ERROR);
  printf("compressBound(0) = %lu\n", compressBound(0));
  printf("compressBound(100000) = %lu\n", compressBound(100000));
  z_stream d;
  memset(&d, 0, sizeof d);
  deflateInit(&d, 6);
  printf("deflateBound default 100000 = %lu\n", deflateBound(&d, 100000));
  deflateEnd(&d);
  deflateInit2(&d, 6, Z_DEFLATED, 31, 9, 0);
  printf("deflateBound gzip mem 9 100000 = %lu\n", deflateBound(&d, 100000));
  deflateEnd(&d);
  deflateInit2(&d, 6, Z_DEFLATED, -12, 8, 0);
  printf("deflateBound raw 12 100000 = %lu\n", deflateBound(&d, 100000));
  deflateEnd(&d);
}

static void checksums(void) {
  const unsigned char *s = (const unsigned char *)"123456789";
  printf("crc32(123456789) = %08lx\n", crc32(0, s, 9));
  printf("adler32(123456789) = %08lx\n", adler32(1, s, 9));
  printf("crc32_z(123456789) = %08lx\n", crc32_z(0, s, 9));
  printf("adler32_z(123456789) = %08lx\n", adler32_z(1, s, 9));
  printf("adler32(0, NULL, 0) = %lu\n", adler32(0, Z_NULL, 0));
  printf("crc32(0, NULL, 0) = %lu\n", crc32(0, Z_NULL, 0));
  const unsigned char *w = (const unsigned char *)"Wikipedia";
  printf("adler32(Wikipedia) = %08lx\n", adler32(1, w, 9));
  uLong a = crc32(0, s, 4), b = crc32(0, s + 4, 5);
  check("crc32_combine", crc32_combine(a, b, 5) == crc32(0, s, 9));
  uLong x = adler32(1, s, 4), y = adler32(1, s + 4, 5);
  check("adler32_combine", adler32_combine(x, y, 5) == adler32(1, s, 9));
  uLong c = crc32(0, s, 3);
  c = crc32(c, s + 3, 6);
  check("crc32 in two pieces", c == 0xcbf43926);
  printf("zlibCompileFlags & 0xff = %lx\n", zlibCompileFlags() & 0xff);
}

static void dictionaries(void) {
  const char *dict = "the quick brown fox jumps over the lazy dog";
  unsigned char src[2000], comp[3000], back[2000];
  fill(src, sizeof src);
  z_stream d;
  memset(&d, 0, sizeof d);
  deflateInit(&d, 9);
  check("deflateSetDictionary", deflateSetDictionary(&d, (const Bytef *)dict, strlen(dict)) == Z_OK);
  check("deflate adler is the dictionary id", d.adler == adler32(1, (const Bytef *)dict, strlen(dict)));
  d.next_in = src;
  d.avail_in = sizeof src;
  d.next_out = comp;
  d.avail_out = sizeof comp;
  check("deflate with a dictionary", deflate(&d, Z_FINISH) == Z_STREAM_END);
  uLong clen = d.total_out;
  unsigned char got[40000];
  uInt glen = 0;
  check("deflateGetDictionary", deflateGetDictionary(&d, got, &glen) == Z_OK && glen > 0 &&
                                    memcmp(got + glen - 100, src + sizeof src - 100, 100) == 0);
  deflateEnd(&d);

  z_stream i;
  memset(&i, 0, sizeof i);
  inflateInit(&i);
  i.next_in = comp;
  i.avail_in = (uInt)clen;
  i.next_out = back;
  i.avail_out = sizeof back;
  int r = inflate(&i, Z_NO_FLUSH);
  check("inflate asks for the dictionary", r == Z_NEED_DICT &&
                                               i.adler == adler32(1, (const Bytef *)dict, strlen(dict)));
  check("a wrong dictionary: Z_DATA_ERROR", inflateSetDictionary(&i, (const Bytef *)"nope", 4) == Z_DATA_ERROR);
  check("inflateSetDictionary", inflateSetDictionary(&i, (const Bytef *)dict, strlen(dict)) == Z_OK);
  r = inflate(&i, Z_NO_FLUSH);
  check("inflate with the dictionary", r == Z_STREAM_END && i.total_out == sizeof src &&
                                           memcmp(src, back, sizeof src) == 0);
  glen = 0;
  /* zlib's window then holds the dictionary, and possibly the output after it. */
  check("inflateGetDictionary", inflateGetDictionary(&i, got, &glen) == Z_OK &&
                                    glen >= strlen(dict) && memcmp(got, dict, strlen(dict)) == 0);
  inflateEnd(&i);

  /* Raw streams take a dictionary on both sides without asking. */
  memset(&d, 0, sizeof d);
  deflateInit2(&d, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  deflateSetDictionary(&d, (const Bytef *)dict, strlen(dict));
  d.next_in = src;
  d.avail_in = sizeof src;
  d.next_out = comp;
  d.avail_out = sizeof comp;
  deflate(&d, Z_FINISH);
  clen = d.total_out;
  deflateEnd(&d);
  memset(&i, 0, sizeof i);
  inflateInit2(&i, -15);
  check("raw inflateSetDictionary", inflateSetDictionary(&i, (const Bytef *)dict, strlen(dict)) == Z_OK);
  i.next_in = comp;
  i.avail_in = (uInt)clen;
  i.next_out = back;
  i.avail_out = sizeof back;
  check("raw inflate with the dictionary", inflate(&i, Z_FINISH) == Z_STREAM_END &&
                                               memcmp(src, back, sizeof src) == 0);
  inflateEnd(&i);
}

static void gzip_header(void) {
  unsigned char src[500], comp[1000], back[500];
  fill(src, sizeof src);
  gz_header h;
  memset(&h, 0, sizeof h);
  h.text = 1;
  h.time = 1700000000;
  h.os = 3;
  h.name = (Bytef *)"hello.txt";
  h.comment = (Bytef *)"a comment";
  h.extra = (Bytef *)"XYZ";
  h.extra_len = 3;
  h.hcrc = 1;
  z_stream d;
  memset(&d, 0, sizeof d);
  deflateInit2(&d, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  check("deflateSetHeader", deflateSetHeader(&d, &h) == Z_OK);
  d.next_in = src;
  d.avail_in = sizeof src;
  d.next_out = comp;
  d.avail_out = sizeof comp;
  check("deflate gzip with a header", deflate(&d, Z_FINISH) == Z_STREAM_END);
  uLong clen = d.total_out;
  deflateEnd(&d);
  check("gzip magic and flags", comp[0] == 0x1f && comp[1] == 0x8b && comp[2] == 8 && comp[3] == 0x1f);

  gz_header g;
  unsigned char name[64], comment[64], extra[16];
  memset(&g, 0, sizeof g);
  g.name = name;
  g.name_max = sizeof name;
  g.comment = comment;
  g.comm_max = sizeof comment;
  g.extra = extra;
  g.extra_max = sizeof extra;
  z_stream i;
  memset(&i, 0, sizeof i);
  inflateInit2(&i, 47);
  check("inflateGetHeader", inflateGetHeader(&i, &g) == Z_OK && g.done == 0);
  i.next_in = comp;
  i.avail_in = (uInt)clen;
  i.next_out = back;
  i.avail_out = sizeof back;
  check("inflate gzip with a header", inflate(&i, Z_FINISH) == Z_STREAM_END &&
                                          memcmp(back, src, sizeof src) == 0);
  check("the header read back", g.done == 1 && g.text == 1 && g.time == 1700000000 && g.os == 3 &&
                                    g.hcrc == 1 && g.extra_len == 3 && memcmp(extra, "XYZ", 3) == 0 &&
                                    strcmp((char *)name, "hello.txt") == 0 &&
                                    strcmp((char *)comment, "a comment") == 0);
  check("gzip adler is the crc32", i.adler == crc32(0, src, sizeof src));
  inflateEnd(&i);
  memset(&i, 0, sizeof i);
  inflateInit(&i);
  check("inflateGetHeader on a zlib stream: Z_STREAM_ERROR", inflateGetHeader(&i, &g) == Z_STREAM_ERROR);
  inflateEnd(&i);
}

static void flushes(void) {
  unsigned char src[3000], comp[4000], back[3000];
  fill(src, sizeof src);
  z_stream d;
  memset(&d, 0, sizeof d);
  deflateInit(&d, 6);
  d.next_in = src;
  d.avail_in = 1000;
  d.next_out = comp;
  d.avail_out = sizeof comp;
  check("Z_SYNC_FLUSH", deflate(&d, Z_SYNC_FLUSH) == Z_OK && d.avail_in == 0);
  uLong sync_at = d.total_out;
  check("sync flush ends in 00 00 ff ff", comp[sync_at - 4] == 0 && comp[sync_at - 3] == 0 &&
                                              comp[sync_at - 2] == 0xff && comp[sync_at - 1] == 0xff);
  check("deflateParams", deflateParams(&d, 1, Z_DEFAULT_STRATEGY) == Z_OK);
  d.avail_in = 1000;
  check("Z_FULL_FLUSH", deflate(&d, Z_FULL_FLUSH) == Z_OK);
  uLong full_at = d.total_out;
  d.avail_in = 1000;
  check("Z_FINISH", deflate(&d, Z_FINISH) == Z_STREAM_END);
  check("deflate after the end: Z_STREAM_ERROR", deflate(&d, Z_NO_FLUSH) == Z_STREAM_ERROR);
  uLong clen = d.total_out;
  deflateEnd(&d);

  z_stream i;
  memset(&i, 0, sizeof i);
  inflateInit(&i);
  i.next_in = comp;
  i.avail_in = (uInt)clen;
  i.next_out = back;
  i.avail_out = sizeof back;
  check("inflate across flushes", inflate(&i, Z_FINISH) == Z_STREAM_END && memcmp(back, src, sizeof src) == 0);
  check("inflateReset", inflateReset(&i) == Z_OK && i.total_in == 0 && i.total_out == 0);
  inflateEnd(&i);

  /* inflateSync from past the full flush point. */
  memset(&i, 0, sizeof i);
  inflateInit2(&i, -15);
  i.next_in = comp + sync_at;
  i.avail_in = (uInt)(clen - sync_at);
  check("inflateSync", inflateSync(&i) == Z_OK);
  i.next_out = back;
  i.avail_out = sizeof back;
  int r = inflate(&i, Z_SYNC_FLUSH);
  (void)full_at;
  check("inflate after inflateSync", r == Z_STREAM_END && i.total_out == 1000 &&
                                         memcmp(back, src + 2000, 1000) == 0);
  inflateEnd(&i);

  /* Z_FINISH with too little output: Z_BUF_ERROR for inflate, then more output finishes. */
  memset(&i, 0, sizeof i);
  inflateInit(&i);
  i.next_in = comp;
  i.avail_in = (uInt)clen;
  i.next_out = back;
  i.avail_out = 100;
  check("inflate Z_FINISH short of output: Z_BUF_ERROR", inflate(&i, Z_FINISH) == Z_BUF_ERROR && i.avail_out == 0);
  i.avail_out = sizeof back - 100;
  check("then Z_STREAM_END", inflate(&i, Z_FINISH) == Z_STREAM_END && memcmp(back, src, sizeof src) == 0);
  inflateEnd(&i);
}

/* deflateCopy and inflateCopy: the copy goes on exactly as the original. */
static void copies(void) {
  static unsigned char src[20000], a[25000], b[25000], back[20000], back2[20000];
  fill(src, sizeof src);
  z_stream d, e;
  memset(&d, 0, sizeof d);
  deflateInit(&d, 6);
  d.next_in = src;
  d.avail_in = 10000;
  d.next_out = a;
  d.avail_out = sizeof a;
  deflate(&d, Z_NO_FLUSH);
  check("deflateCopy", deflateCopy(&e, &d) == Z_OK && e.total_in == d.total_in);
  uLong at = d.total_out;
  memcpy(b, a, at);
  e.next_out = b + at;
  e.avail_out = sizeof b - at;
  d.next_in = e.next_in = src + 10000;
  d.avail_in = e.avail_in = 10000;
  check("both finish", deflate(&d, Z_FINISH) == Z_STREAM_END && deflate(&e, Z_FINISH) == Z_STREAM_END);
  check("the copy's output is the original's", d.total_out == e.total_out && memcmp(a, b, d.total_out) == 0);
  check("the copy ends on its own", deflateEnd(&e) == Z_OK && deflateEnd(&d) == Z_OK);

  z_stream i, j;
  memset(&i, 0, sizeof i);
  inflateInit(&i);
  i.next_in = a;
  i.avail_in = 3000;
  i.next_out = back;
  i.avail_out = sizeof back;
  inflate(&i, Z_NO_FLUSH);
  check("inflateCopy", inflateCopy(&j, &i) == Z_OK && j.total_out == i.total_out);
  memcpy(back2, back, i.total_out);
  j.next_out = back2 + i.total_out;
  i.avail_in = j.avail_in = (uInt)(d.total_out - 3000);
  i.next_in = j.next_in = a + 3000;
  check("both inflate to the end", inflate(&i, Z_FINISH) == Z_STREAM_END && inflate(&j, Z_FINISH) == Z_STREAM_END);
  check("both give the data", memcmp(back, src, sizeof src) == 0 && memcmp(back2, src, sizeof src) == 0);
  inflateEnd(&i);
  inflateEnd(&j);
  z_stream never;
  memset(&never, 0, sizeof never);
  check("deflateCopy of an unknown stream: Z_STREAM_ERROR", deflateCopy(&e, &never) == Z_STREAM_ERROR);
}

static void errors(void) {
  z_stream z;
  memset(&z, 0, sizeof z);
  check("deflateInit_ wrong stream_size: Z_VERSION_ERROR",
        deflateInit_(&z, 6, ZLIB_VERSION, (int)sizeof z - 4) == Z_VERSION_ERROR);
  check("inflateInit_ wrong stream_size: Z_VERSION_ERROR",
        inflateInit_(&z, ZLIB_VERSION, 100) == Z_VERSION_ERROR);
  check("deflateInit2_ wrong version: Z_VERSION_ERROR",
        deflateInit2_(&z, 6, 8, 15, 8, 0, "2.0.0", (int)sizeof z) == Z_VERSION_ERROR);
  check("inflateInit2_ NULL version: Z_VERSION_ERROR", inflateInit2_(&z, 15, Z_NULL, (int)sizeof z) == Z_VERSION_ERROR);
  check("deflateInit level 11: Z_STREAM_ERROR", deflateInit(&z, 11) == Z_STREAM_ERROR);
  check("deflateInit2 windowBits 7: Z_STREAM_ERROR", deflateInit2(&z, 6, 8, 7, 8, 0) == Z_STREAM_ERROR);
  check("inflateInit2 windowBits 50: Z_STREAM_ERROR", inflateInit2(&z, 50) == Z_STREAM_ERROR);
  z_stream never;
  memset(&never, 0, sizeof never);
  check("deflate on an unknown stream: Z_STREAM_ERROR", deflate(&never, Z_FINISH) == Z_STREAM_ERROR);
  check("inflate on an unknown stream: Z_STREAM_ERROR", inflate(&never, Z_FINISH) == Z_STREAM_ERROR);
  check("deflateEnd on an unknown stream: Z_STREAM_ERROR", deflateEnd(&never) == Z_STREAM_ERROR);
  check("deflate bad flush: Z_STREAM_ERROR", deflateInit(&z, 6) == Z_OK && deflate(&z, 9) == Z_STREAM_ERROR);
  check("deflateEnd", deflateEnd(&z) == Z_OK);
  check("deflateEnd twice: Z_STREAM_ERROR", deflateEnd(&z) == Z_STREAM_ERROR);
  check("inflateInit", inflateInit(&z) == Z_OK);
  check("deflate on an inflate stream: Z_STREAM_ERROR", deflate(&z, Z_NO_FLUSH) == Z_STREAM_ERROR);
  check("inflateEnd", inflateEnd(&z) == Z_OK);
  check("inflateEnd twice: Z_STREAM_ERROR", inflateEnd(&z) == Z_STREAM_ERROR);
  unsigned char junk[16] = {0x78, 0x9c, 0xff, 0xff, 0xff, 1, 2, 3}, out[64];
  inflateInit(&z);
  z.next_in = junk;
  z.avail_in = sizeof junk;
  z.next_out = out;
  z.avail_out = sizeof out;
  check("inflate garbage: Z_DATA_ERROR", inflate(&z, Z_NO_FLUSH) == Z_DATA_ERROR);
  inflateEnd(&z);
  inflateInit(&z);
  z.next_in = junk;
  z.avail_in = 0;
  z.next_out = out;
  z.avail_out = sizeof out;
  check("inflate with no input: Z_BUF_ERROR", inflate(&z, Z_NO_FLUSH) == Z_BUF_ERROR);
  inflateEnd(&z);
}

/* Deflates MIB MiB through the plug-in in one call, for timing. */
static int bench(int mib) {
  size_t n = (size_t)mib << 20;
  unsigned char *src = malloc(n);
  uLongf clen = compressBound(n);
  unsigned char *comp = malloc(clen);
  fill(src, n);
  z_stream d;
  memset(&d, 0, sizeof d);
  deflateInit(&d, 6);
  d.next_in = src;
  d.avail_in = (uInt)n;
  d.next_out = comp;
  d.avail_out = (uInt)clen;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int r = deflate(&d, Z_FINISH);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("bench: %d MiB -> %lu bytes, %d, deflate call %.1f ms\n", mib, d.total_out, r, ms);
  deflateEnd(&d);
  return r == Z_STREAM_END ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "all";
  if (strcmp(mode, "bench") == 0) return bench(argc > 2 ? atoi(argv[2]) : 10);
  if (strcmp(mode, "oob-stream") == 0) {
    z_stream z;
    unsigned char out[64];
    memset(&z, 0, sizeof z);
    deflateInit(&z, 6);
    z.next_in = (Bytef *)(uintptr_t)0xfffff000u;
    z.avail_in = 1 << 20;
    z.next_out = out;
    z.avail_out = sizeof out;
    printf("deflate = %d\n", deflate(&z, Z_FINISH));
    return 0;
  }
  if (strcmp(mode, "oob-crc") == 0) {
    printf("crc32 = %lu\n", crc32(0, (const Bytef *)(uintptr_t)0xffff0000u, 1 << 20));
    return 0;
  }
  if (strcmp(mode, "oob-zstream") == 0) {
    printf("inflateInit = %d\n", inflateInit((z_streamp)(uintptr_t)0xfffffff0u));
    return 0;
  }
  if (strcmp(mode, "errors") == 0) {
    errors();
    return failures;
  }
  int levels[] = {0, 1, 6, 9};
  for (int l = 0; l < 4; l++) round_trip(levels[l], 15, 8, 0, 15, 100000);
  round_trip(6, 9, 1, 0, 9, 20000);
  round_trip(6, 9, 8, 0, 0, 20000);
  round_trip(6, 31, 9, 0, 31, 50000);
  round_trip(9, 31, 8, 0, 47, 50000);
  round_trip(6, 15, 8, 0, 47, 50000);
  round_trip(1, -15, 8, 0, -15, 50000);
  round_trip(6, -9, 8, 0, -9, 20000);
  round_trip(6, 15, 8, Z_FILTERED, 15, 30000);
  round_trip(6, 15, 8, Z_HUFFMAN_ONLY, 15, 30000);
  round_trip(6, 15, 8, Z_RLE, 15, 30000);
  round_trip(6, 15, 8, Z_FIXED, 15, 30000);
  round_trip(6, 15, 8, 0, 15, 0);
  one_shot();
  checksums();
  dictionaries();
  gzip_header();
  flushes();
  copies();
  errors();
  printf("failures: %d\n", failures);
  return failures;
}
