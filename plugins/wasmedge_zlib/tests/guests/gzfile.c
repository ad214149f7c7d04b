/* gz files through wasmedge_zlib, compiled against Debian's ordinary <zlib.h> (see clang-flags).
 * Usage: gzfile DIR, where DIR is a preopened directory (the tests give "/data", with a file
 * outside.txt beside its host directory). Prints one line per check and exits with the number
 * of failed checks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static int failures;

static void check(const char *what, int ok) {
  printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) failures++;
}

static char path_buf[512];

static const char *in(const char *dir, const char *name) {
  snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
  return path_buf;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/data";
  static char big[100000], back[100000];
  for (size_t i = 0; i < sizeof big; i++) big[i] = "gz files through the plug-in\n"[i % 29];

  gzFile w = gzopen(in(dir, "test.gz"), "wb9");
  check("gzopen for writing", w != NULL);
  check("gzbuffer before any write", gzbuffer(w, 16384) == 0);
  check("gzwrite", gzwrite(w, big, sizeof big) == (int)sizeof big);
  check("gzputs", gzputs(w, "a line\n") == 7);
  check("gzputc", gzputc(w, 'Z') == 'Z');
  check("gzflush Z_SYNC_FLUSH", gzflush(w, Z_SYNC_FLUSH) == Z_OK);
  check("gzsetparams", gzsetparams(w, 1, Z_DEFAULT_STRATEGY) == Z_OK);
  check("gzfwrite", gzfwrite("0123456789", 2, 5, w) == 5);
  check("gztell after writing", gztell(w) == (long)sizeof big + 7 + 1 + 10);
  check("gzbuffer after writing: -1", gzbuffer(w, 16384) == -1);
  check("gzclose_r on a writing file: Z_STREAM_ERROR", gzclose_r(w) == Z_STREAM_ERROR);
  check("gzclose", gzclose(w) == Z_OK);

  gzFile r = gzopen(in(dir, "test.gz"), "rb");
  check("gzopen for reading", r != NULL);
  check("gzdirect of a gzip file is 0", gzdirect(r) == 0);
  int n = gzread(r, back, sizeof back);
  check("gzread", n == (int)sizeof back && memcmp(big, back, sizeof big) == 0);
  char line[16] = {0};
  check("gzread the line", gzread(r, line, 7) == 7 && memcmp(line, "a line\n", 7) == 0);
  check("gzgetc", gzgetc(r) == 'Z');
  check("gzungetc", gzungetc('Q', r) == 'Q');
  check("gzgetc after gzungetc", gzgetc(r) == 'Q');
  char digits[10];
  check("gzfread", gzfread(digits, 5, 2, r) == 2 && memcmp(digits, "0123456789", 10) == 0);
  check("gzeof not before reading past the end", gzeof(r) == 0);
  check("gzread at the end", gzread(r, back, 10) == 0);
  check("gzeof", gzeof(r) == 1);
  check("gztell at the end", gztell(r) == (long)sizeof big + 18);
  check("gzseek back", gzseek(r, 5, SEEK_SET) == 5);
  check("gzread after gzseek", gzread(r, back, 4) == 4 && memcmp(back, big + 5, 4) == 0);
  check("gzseek forward", gzseek(r, 100, SEEK_CUR) == 109);
  check("gzread after gzseek forward", gzread(r, back, 3) == 3 && memcmp(back, big + 109, 3) == 0);
  check("gzseek SEEK_END: -1", gzseek(r, 0, SEEK_END) == -1);
  check("gzrewind", gzrewind(r) == 0 && gztell(r) == 0);
  check("gzoffset is past the header", gzoffset(r) >= 0);
  check("gzwrite on a reading file: 0", gzwrite(r, "x", 1) == 0);
  check("gzclose_w on a reading file: Z_STREAM_ERROR", gzclose_w(r) == Z_STREAM_ERROR);
  check("gzclose_r", gzclose_r(r) == Z_OK);
#ifdef __wasm__
  /* Undefined behaviour on C zlib; the plug-in answers as zlib does for NULL. */
  check("gzclose twice: Z_STREAM_ERROR", gzclose(r) == Z_STREAM_ERROR);
  check("gzread on a closed file: -1", gzread(r, back, 1) == -1);
#endif

  /* Appending makes a second member; reading goes through both. */
  w = gzopen(in(dir, "two.gz"), "w");
  gzputs(w, "first ");
  gzclose(w);
  w = gzopen(in(dir, "two.gz"), "a");
  gzputs(w, "second");
  gzclose(w);
  r = gzopen(in(dir, "two.gz"), "r");
  memset(line, 0, sizeof line);
  check("two members read as one", gzread(r, line, sizeof line - 1) == 12 && strcmp(line, "first second") == 0);
  gzclose(r);

  /* A file that is not gzip reads as it is. */
  w = gzopen(in(dir, "plain.txt"), "wT");
  gzputs(w, "plain text");
  gzclose(w);
  r = gzopen(in(dir, "plain.txt"), "r");
  memset(line, 0, sizeof line);
  check("gzdirect of a plain file is 1", gzdirect(r) == 1);
  check("gzread a plain file", gzread(r, line, sizeof line - 1) == 10 && strcmp(line, "plain text") == 0);
  gzclose(r);

  check("gzopen of a missing file: NULL", gzopen(in(dir, "missing.gz"), "rb") == NULL);
  check("gzopen with mode \"r+\": NULL", gzopen(in(dir, "test.gz"), "r+") == NULL);
  check("gzopen with \"x\" of an existing file: NULL", gzopen(in(dir, "test.gz"), "wx") == NULL);
#ifdef __wasm__
  check("gzdopen: NULL", gzdopen(1, "wb") == NULL);
  gzFile bogus = (gzFile)(uintptr_t)500;
  check("gzread on an unknown handle: -1", gzread(bogus, back, 1) == -1);
  check("gzclose on an unknown handle: Z_STREAM_ERROR", gzclose(bogus) == Z_STREAM_ERROR);

  /* The sandbox: nothing outside the preopened directory. */
  check("gzopen through ..: NULL", gzopen(in(dir, "../outside.txt"), "rb") == NULL);
  check("gzopen of an absolute host path: NULL", gzopen("/etc/passwd", "rb") == NULL);
  check("gzopen for writing through ..: NULL", gzopen(in(dir, "../escaped.gz"), "wb") == NULL);
#endif
  printf("failures: %d\n", failures);
  return failures;
}
