/* Symbolic and hard links inside the preopened directory argv[1], which holds target.txt
 * ("target text\n") when the program starts: symlink, readlink, lstat against stat, reading
 * through a link, a dangling link, a link to a directory, a hard link's link count and shared
 * contents, and unlinking links without touching their targets. Leaves behind
 *   rel-link -> target.txt, hard.txt (a hard link to target.txt), dir-link -> sub
 * for the test to check from the host. */
#include "common.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static const char *at(const char *name) {
    static char bufs[4][512];
    static int next;
    char *p = bufs[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void result(const char *what, int rc) {
    printf("%s: %s\n", what, rc == 0 ? "ok" : errno_name(errno));
}

static void cat(const char *name) {
    char buf[64] = {0};
    int fd = open(at(name), O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s\n", name, errno_name(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0 && buf[n - 1] == '\n')
        buf[n - 1] = 0;
    printf("read %s: \"%s\"\n", name, buf);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: links DIR\n");
        return 2;
    }
    dir = argv[1];
    char buf[256];

    result("symlink rel-link", symlink("target.txt", at("rel-link")));
    result("symlink rel-link again", symlink("target.txt", at("rel-link")));
    ssize_t n = readlink(at("rel-link"), buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("readlink rel-link: %zd \"%s\"\n", n, buf);
    errno = 0;
    printf("readlink of a file: %zd %s\n", readlink(at("target.txt"), buf, sizeof buf), errno_name(errno));
    cat("rel-link");

    struct stat st, lst;
    result("stat rel-link", stat(at("rel-link"), &st));
    result("lstat rel-link", lstat(at("rel-link"), &lst));
    printf("stat follows: %s, lstat does not: %s\n", S_ISREG(st.st_mode) ? "yes" : "no",
           S_ISLNK(lst.st_mode) ? "yes" : "no");

    result("symlink dangling", symlink("nowhere.txt", at("dangling")));
    cat("dangling");
    result("lstat dangling", lstat(at("dangling"), &lst));
    /* ELOOP on Linux; any refusal will do. */
    int fd = open(at("rel-link"), O_RDONLY | O_NOFOLLOW);
    printf("open a link with O_NOFOLLOW: %s\n", fd < 0 ? "refused" : "opened");
    result("unlink dangling", unlink(at("dangling")));

    result("mkdir sub", mkdir(at("sub"), 0755));
    result("symlink dir-link", symlink("sub", at("dir-link")));
    fd = open(at("dir-link/inside.txt"), O_CREAT | O_WRONLY, 0644);
    printf("create through dir-link: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    if (fd >= 0) {
        write(fd, "inside\n", 7);
        close(fd);
    }
    cat("sub/inside.txt");

    result("link hard.txt", link(at("target.txt"), at("hard.txt")));
    result("stat target.txt", stat(at("target.txt"), &st));
    printf("nlink: %llu\n", (unsigned long long)st.st_nlink);
    struct stat hst;
    stat(at("hard.txt"), &hst);
    printf("same inode: %s\n", hst.st_ino == st.st_ino ? "yes" : "no");
    result("link onto existing", link(at("target.txt"), at("hard.txt")));
    fd = open(at("hard.txt"), O_WRONLY | O_APPEND);
    CHECK(fd >= 0, "open hard.txt");
    write(fd, "more\n", 5);
    close(fd);
    result("stat target.txt", stat(at("target.txt"), &st));
    printf("target size after append through hard link: %lld\n", (long long)st.st_size);

    result("symlink tmp-link", symlink("target.txt", at("tmp-link")));
    result("unlink tmp-link", unlink(at("tmp-link")));
    result("target still there", stat(at("target.txt"), &st));
    return 0;
}
