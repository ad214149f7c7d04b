/* Directories inside the preopened directory argv[1]: mkdir, nested mkdir, readdir (names
 * printed sorted, directories with a slash, without "." and ".."), rename of files and directories, unlink, rmdir, and the errors for
 * existing, missing and non-empty directories. Leaves behind
 *   kept/           containing only  moved.txt ("payload")
 *   renamed/        containing only  inner/  (empty)
 * for the test to check from the host. */
#include "common.h"
#include <dirent.h>
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

static void touch(const char *name, const char *text) {
    int fd = open(at(name), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0, name);
    write(fd, text, strlen(text));
    close(fd);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
    DIR *d = opendir(at(name));
    CHECK(d != NULL, "opendir");
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        /* Runtimes differ on whether "." and ".." are listed; leave them out. */
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        const char *kind = e->d_type == DT_DIR ? "/" : e->d_type == DT_REG ? "" : "?";
        char *s = malloc(strlen(e->d_name) + 2);
        sprintf(s, "%s%s", e->d_name, kind);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("ls %s:", name);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void result(const char *what, int rc) {
    printf("%s: %s\n", what, rc == 0 ? "ok" : errno_name(errno));
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: dirs DIR\n");
        return 2;
    }
    dir = argv[1];
    result("mkdir work", mkdir(at("work"), 0755));
    result("mkdir work again", mkdir(at("work"), 0755));
    result("mkdir work/sub", mkdir(at("work/sub"), 0755));
    result("mkdir missing/x", mkdir(at("missing/x"), 0755));
    touch("work/b.txt", "bee");
    touch("work/a.txt", "payload");
    touch("work/sub/c.txt", "sea");
    list("work");
    list("work/sub");

    struct stat st;
    result("stat work/sub", stat(at("work/sub"), &st));
    printf("work/sub is a directory: %d\n", S_ISDIR(st.st_mode));

    result("rename a.txt to sub/moved.txt", rename(at("work/a.txt"), at("work/sub/moved.txt")));
    result("rename missing", rename(at("work/nothing"), at("work/else")));
    result("unlink b.txt", unlink(at("work/b.txt")));
    result("unlink b.txt again", unlink(at("work/b.txt")));
    result("unlink a directory", unlink(at("work/sub")));
    result("rmdir non-empty", rmdir(at("work/sub")));
    result("rmdir a file", rmdir(at("work/sub/c.txt")));
    result("unlink sub/c.txt", unlink(at("work/sub/c.txt")));
    list("work");
    list("work/sub");
    result("rename sub to kept", rename(at("work/sub"), at("kept")));
    result("rmdir work", rmdir(at("work")));
    result("stat work", stat(at("work"), &st));

    result("mkdir renamed-src", mkdir(at("renamed-src"), 0755));
    result("mkdir renamed-src/inner", mkdir(at("renamed-src/inner"), 0755));
    result("rename directory", rename(at("renamed-src"), at("renamed")));
    list(".");
    return 0;
}
