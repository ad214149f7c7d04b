/* File I/O inside the preopened directory named by argv[1]: create, write, read, seek,
 * pread, pwrite, append, stat, truncate, timestamps, sync, allocate, and the errors for a
 * missing file, an exclusive create of an existing one and a write through a read-only
 * descriptor. Leaves behind, for the test to check from the host:
 *   data.txt   "Jello"        (written, pwritten, truncated) with mtime 1234567890
 *   log.txt    "one\ntwo\n"   written in append mode, with a seek to 0 between the writes */
#include "common.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[512];

static const char *at(const char *dir, const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: files DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char buf[64];

    int fd = open(at(dir, "data.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0, "create");
    printf("write: %zd\n", write(fd, "hello, world\n", 13));
    printf("tell: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("seek set: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    memset(buf, 0, sizeof buf);
    printf("read: %zd \"%.5s\"\n", read(fd, buf, 5), buf);
    printf("seek end: %lld\n", (long long)lseek(fd, -6, SEEK_END));
    printf("seek cur: %lld\n", (long long)lseek(fd, 2, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    printf("pread: %zd \"%s\"\n", pread(fd, buf, 5, 0), buf);
    printf("pwrite: %zd\n", pwrite(fd, "J", 1, 0));
    printf("pread keeps offset: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    memset(buf, 0, sizeof buf);
    lseek(fd, 0, SEEK_SET);
    printf("read all: %zd \"%.12s\"\n", read(fd, buf, sizeof buf), buf);
    printf("read at eof: %zd\n", read(fd, buf, sizeof buf));

    struct stat st;
    CHECK(fstat(fd, &st) == 0, "fstat");
    printf("fstat: size %lld, regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    printf("fsync: %d, fdatasync: %d\n", fsync(fd), fdatasync(fd));
    printf("allocate: %d\n", posix_fallocate(fd, 0, 100));
    CHECK(fstat(fd, &st) == 0, "fstat");
    printf("size after allocate: %lld\n", (long long)st.st_size);
    printf("ftruncate: %d\n", ftruncate(fd, 5));
    CHECK(fstat(fd, &st) == 0, "fstat");
    printf("size after truncate: %lld\n", (long long)st.st_size);
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
    printf("futimens: %d\n", futimens(fd, times));
    CHECK(fstat(fd, &st) == 0, "fstat");
    printf("times: atime %lld, mtime %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    printf("close: %d\n", close(fd));
    printf("read closed fd: %zd %s\n", read(fd, buf, 1), errno_name(errno));

    CHECK(stat(at(dir, "data.txt"), &st) == 0, "stat");
    printf("stat: size %lld, mtime %lld\n", (long long)st.st_size, (long long)st.st_mtim.tv_sec);
    struct timespec now_mtime[2] = {{0, UTIME_OMIT}, {1234567890, 0}};
    printf("utimensat: %d\n", utimensat(AT_FDCWD, at(dir, "data.txt"), now_mtime, 0));

    fd = open(at(dir, "data.txt"), O_RDONLY);
    CHECK(fd >= 0, "reopen");
    memset(buf, 0, sizeof buf);
    printf("reread: %zd \"%s\"\n", read(fd, buf, sizeof buf), buf);
    /* Refused with EBADF or ENOTCAPABLE, depending on whether rights are checked first. */
    ssize_t wrote = write(fd, "x", 1);
    printf("write to read-only fd: %s\n",
           wrote < 0 && (errno == EBADF || errno == ENOTCAPABLE) ? "refused" : "ALLOWED");
    close(fd);

    fd = open(at(dir, "log.txt"), O_CREAT | O_WRONLY | O_APPEND, 0644);
    CHECK(fd >= 0, "append open");
    write(fd, "one\n", 4);
    lseek(fd, 0, SEEK_SET);
    write(fd, "two\n", 4);
    close(fd);
    CHECK(stat(at(dir, "log.txt"), &st) == 0, "stat log");
    printf("append: size %lld\n", (long long)st.st_size);

    errno = 0;
    printf("open missing: %d %s\n", open(at(dir, "missing.txt"), O_RDONLY), errno_name(errno));
    errno = 0;
    printf("exclusive create of existing: %d %s\n",
           open(at(dir, "log.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), errno_name(errno));
    errno = 0;
    printf("open file as directory: %d %s\n",
           open(at(dir, "log.txt/x"), O_RDONLY), errno_name(errno));

    FILE *f = fopen(at(dir, "stdio.txt"), "w+");
    CHECK(f != NULL, "fopen");
    fprintf(f, "%d %s\n", 42, "stdio");
    rewind(f);
    int n = 0;
    char word[16] = {0};
    printf("stdio: %d", fscanf(f, "%d %15s", &n, word));
    printf(" %d %s\n", n, word);
    fclose(f);
    printf("unlink stdio.txt: %d\n", unlink(at(dir, "stdio.txt")));
    return 0;
}
