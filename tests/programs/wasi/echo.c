/* Copies standard input to standard output until end of file, in small reads, then writes
 * the byte count to standard error. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buf[7];
    long total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(1, buf + off, n - off);
            if (w <= 0)
                return 1;
            off += w;
        }
        total += n;
    }
    if (n < 0)
        return 1;
    fprintf(stderr, "echoed %ld bytes\n", total);
    return 0;
}
