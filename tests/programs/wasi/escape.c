/* Escape attempts: each mode tries to reach outside the preopened directories, or to write
 * in a read-only one, and prints one line per attempt:
 *   "<attempt>: blocked (<errno>)"    the runtime refused, as it must
 *   "<attempt>: ESCAPED (<detail>)"    the sandbox failed
 *   "<attempt>: allowed"               a control that must succeed (inside the sandbox)
 *
 * usage: escape MODE SECRET
 *   SECRET is the host's absolute path of a file outside every preopen (the tests put
 *   "TOP SECRET" in it). The layout the tests prepare:
 *     /sandbox  (read-write)  inside.txt, sub/, host-abs-link -> SECRET,
 *                             host-rel-link -> ../secret, host-dangling -> <outside>/planted
 *     /ro       (read-only)   keep.txt ("keep"), dir/
 *
 * Most attempts use the raw WASI calls on the preopen's descriptor, so that what is tested
 * is the runtime and not wasi-libc's own path checks; a few go through libc too. */
#include "common.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static __wasi_fd_t sandbox = (__wasi_fd_t)-1, ro = (__wasi_fd_t)-1;

/* Finds the preopens by name, as wasi-libc does. */
static void find_preopens(void) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t pre;
        if (__wasi_fd_prestat_get(fd, &pre) != 0)
            break;
        char name[256] = {0};
        if (pre.u.dir.pr_name_len >= sizeof name ||
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, pre.u.dir.pr_name_len) != 0)
            continue;
        if (strcmp(name, "/sandbox") == 0)
            sandbox = fd;
        if (strcmp(name, "/ro") == 0)
            ro = fd;
    }
}

#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE_RIGHTS (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)
#define DIR_RIGHTS ((__wasi_rights_t)-1)

/* Reads what a descriptor holds, for the report of an escape. */
static void contents(__wasi_fd_t fd, char *out, size_t cap) {
    __wasi_iovec_t iov = {(uint8_t *)out, cap - 1};
    __wasi_size_t n = 0;
    memset(out, 0, cap);
    if (__wasi_fd_read(fd, &iov, 1, &n) != 0)
        snprintf(out, cap, "opened, unreadable");
    else if (n > 0 && out[n - 1] == '\n')
        out[n - 1] = 0;
}

static void blocked_or_escaped(const char *what, __wasi_errno_t e, const char *detail) {
    if (e != 0)
        printf("%s: blocked (%s)\n", what, wasi_errno_name(e));
    else
        printf("%s: ESCAPED (%s)\n", what, detail);
}

/* Opens `path` under `dir` for reading (following symlinks unless told not to). */
static void try_read(const char *what, __wasi_fd_t dir, const char *path, int follow) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
                                        0, READ_RIGHTS, 0, 0, &fd);
    char buf[128] = "";
    if (e == 0) {
        contents(fd, buf, sizeof buf);
        __wasi_fd_close(fd);
    }
    blocked_or_escaped(what, e, buf);
}

/* Opens a directory `path` under `dir`, then tries to read "secret" inside it. */
static void try_dir(const char *what, __wasi_fd_t dir, const char *path) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path,
                                        __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &fd);
    if (e == 0) {
        /* Opening the directory is itself the escape; say what it shows. */
        __wasi_fd_t f;
        char buf[128] = "directory opened";
        if (__wasi_path_open(fd, 0, "secret", 0, READ_RIGHTS, 0, 0, &f) == 0) {
            contents(f, buf, sizeof buf);
            __wasi_fd_close(f);
        }
        __wasi_fd_close(fd);
        printf("%s: ESCAPED (%s)\n", what, buf);
    } else {
        printf("%s: blocked (%s)\n", what, wasi_errno_name(e));
    }
}

/* Creates (or truncates) `path` under `dir` and writes to it. */
static void try_write(const char *what, __wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                      int follow) {
    __wasi_fd_t fd;
    __wasi_errno_t e =
        __wasi_path_open(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, oflags,
                         READ_RIGHTS | WRITE_RIGHTS, 0, 0, &fd);
    if (e == 0) {
        __wasi_ciovec_t iov = {(const uint8_t *)"PWNED\n", 6};
        __wasi_size_t n = 0;
        __wasi_errno_t we = __wasi_fd_write(fd, &iov, 1, &n);
        __wasi_fd_close(fd);
        if (we != 0) {
            /* Opened but not writable: no harm done unless the open truncated. */
            printf("%s: blocked (opened, write %s)\n", what, wasi_errno_name(we));
            return;
        }
    }
    blocked_or_escaped(what, e, "wrote PWNED");
}

static void libc_read(const char *what, const char *path) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    char buf[128] = "";
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        close(fd);
        printf("%s: ESCAPED (%s)\n", what, buf);
    } else {
        printf("%s: blocked (%s)\n", what, errno_name(errno));
    }
}

static void control(const char *what, __wasi_errno_t e) {
    if (e == 0)
        printf("%s: allowed\n", what);
    else
        printf("%s: WRONGLY REFUSED (%s)\n", what, wasi_errno_name(e));
}

static void check_readable(const char *what, __wasi_fd_t dir, const char *path) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                        READ_RIGHTS, 0, 0, &fd);
    if (e == 0)
        __wasi_fd_close(fd);
    control(what, e);
}

static void dotdot(void) {
    try_read("read ../secret", sandbox, "../secret", 1);
    try_read("read ./../secret", sandbox, "./../secret", 1);
    try_read("read .. without following", sandbox, "../secret", 0);
    try_dir("open directory ..", sandbox, "..");
    try_dir("open directory sub/../..", sandbox, "sub/../..");
    try_write("create ../planted", sandbox, "../planted", __WASI_OFLAGS_CREAT, 1);
    try_write("truncate ../secret", sandbox, "../secret", __WASI_OFLAGS_TRUNC, 1);
    blocked_or_escaped("mkdir ../planted-dir", __wasi_path_create_directory(sandbox, "../planted-dir"),
                       "directory made");
    blocked_or_escaped("unlink ../secret", __wasi_path_unlink_file(sandbox, "../secret"),
                       "secret removed");
    libc_read("libc open /sandbox/../secret", "/sandbox/../secret");
}

static void absolute(const char *secret) {
    try_read("read /etc/passwd", sandbox, "/etc/passwd", 1);
    try_read("read absolute secret path", sandbox, secret, 1);
    try_dir("open directory /", sandbox, "/");
    try_write("create /tmp/wedge-planted", sandbox, "/tmp/wedge-planted", __WASI_OFLAGS_CREAT, 1);
    libc_read("libc open /etc/passwd", "/etc/passwd");
    libc_read("libc open absolute secret path", secret);
}

static void subdotdot(void) {
    check_readable("read sub/../inside.txt", sandbox, "sub/../inside.txt");
    try_read("read sub/../../secret", sandbox, "sub/../../secret", 1);
    try_read("read sub/./../../secret", sandbox, "sub/./../../secret", 1);
    try_read("read sub//..//..//secret", sandbox, "sub//..//..//secret", 1);
    try_write("create sub/../../planted", sandbox, "sub/../../planted", __WASI_OFLAGS_CREAT, 1);
    libc_read("libc open /sandbox/sub/../../secret", "/sandbox/sub/../../secret");
}

static void hostlink(void) {
    try_read("read host-abs-link", sandbox, "host-abs-link", 1);
    try_read("read host-rel-link", sandbox, "host-rel-link", 1);
    try_write("write through host-abs-link", sandbox, "host-abs-link", __WASI_OFLAGS_TRUNC, 1);
    try_write("create through host-dangling", sandbox, "host-dangling", __WASI_OFLAGS_CREAT, 1);
    __wasi_filestat_t st;
    blocked_or_escaped("stat through host-abs-link",
                       __wasi_path_filestat_get(sandbox, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                                "host-abs-link", &st),
                       "stat of the target");
    control("lstat host-abs-link",
            __wasi_path_filestat_get(sandbox, 0, "host-abs-link", &st));
    libc_read("libc open /sandbox/host-rel-link", "/sandbox/host-rel-link");
}

static void guestlink(const char *secret) {
    const struct { const char *name, *target; } links[] = {
        {"evil-rel", "../secret"},
        {"evil-abs", secret},
        {"evil-deep", "sub/../../secret"},
        {"sub/evil-up", "../../secret"},
    };
    for (unsigned i = 0; i < sizeof links / sizeof links[0]; i++) {
        /* Making such a link may be allowed (it is only text); following it must not be. */
        __wasi_errno_t e = __wasi_path_symlink(links[i].target, sandbox, links[i].name);
        printf("make %s: %s\n", links[i].name, e == 0 ? "made" : "refused");
        char what[64];
        snprintf(what, sizeof what, "read %s", links[i].name);
        try_read(what, sandbox, links[i].name, 1);
        snprintf(what, sizeof what, "write through %s", links[i].name);
        try_write(what, sandbox, links[i].name, __WASI_OFLAGS_TRUNC, 1);
    }
    /* A chain: a link to a link that leaves. */
    __wasi_errno_t e = __wasi_path_symlink("evil-rel", sandbox, "chain");
    printf("make chain: %s\n", e == 0 ? "made" : "refused");
    try_read("read chain", sandbox, "chain", 1);
    /* A link to a directory outside, then a path through it. */
    e = __wasi_path_symlink("..", sandbox, "up");
    printf("make up: %s\n", e == 0 ? "made" : "refused");
    try_read("read up/secret", sandbox, "up/secret", 1);
    try_write("create up/planted", sandbox, "up/planted", __WASI_OFLAGS_CREAT, 1);
}

static void hardlink(const char *secret) {
    blocked_or_escaped("link ../secret to stolen",
                       __wasi_path_link(sandbox, 0, "../secret", sandbox, "stolen"),
                       "hard link made");
    blocked_or_escaped("link absolute secret to stolen-abs",
                       __wasi_path_link(sandbox, 0, secret, sandbox, "stolen-abs"),
                       "hard link made");
    blocked_or_escaped("link through host-abs-link (followed) to stolen-follow",
                       __wasi_path_link(sandbox, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                        "host-abs-link", sandbox, "stolen-follow"),
                       "hard link made");
    blocked_or_escaped("link inside.txt to ../planted",
                       __wasi_path_link(sandbox, 0, "inside.txt", sandbox, "../planted"),
                       "hard link made outside");
    try_read("read stolen", sandbox, "stolen", 0);
    try_read("read stolen-follow", sandbox, "stolen-follow", 0);
}

static void rename_out(void) {
    blocked_or_escaped("rename inside.txt to ../moved",
                       __wasi_path_rename(sandbox, "inside.txt", sandbox, "../moved"),
                       "moved out");
    blocked_or_escaped("rename ../secret to taken",
                       __wasi_path_rename(sandbox, "../secret", sandbox, "taken"), "moved in");
    blocked_or_escaped("rename sub to ../sub-out",
                       __wasi_path_rename(sandbox, "sub", sandbox, "../sub-out"), "moved out");
    check_readable("inside.txt still readable", sandbox, "inside.txt");
}

static void readonly(void) {
    check_readable("read keep.txt", ro, "keep.txt");
    try_write("create new.txt", ro, "new.txt", __WASI_OFLAGS_CREAT, 1);
    try_write("write keep.txt", ro, "keep.txt", 0, 1);
    try_write("truncate keep.txt", ro, "keep.txt", __WASI_OFLAGS_TRUNC, 1);
    blocked_or_escaped("mkdir newdir", __wasi_path_create_directory(ro, "newdir"), "made");
    blocked_or_escaped("unlink keep.txt", __wasi_path_unlink_file(ro, "keep.txt"), "removed");
    blocked_or_escaped("rmdir dir", __wasi_path_remove_directory(ro, "dir"), "removed");
    blocked_or_escaped("rename keep.txt", __wasi_path_rename(ro, "keep.txt", ro, "moved.txt"),
                       "renamed");
    blocked_or_escaped("symlink in ro", __wasi_path_symlink("keep.txt", ro, "link"), "made");
    blocked_or_escaped("hard link in ro", __wasi_path_link(ro, 0, "keep.txt", ro, "hard"), "made");
    blocked_or_escaped("set times of keep.txt",
                       __wasi_path_filestat_set_times(ro, 0, "keep.txt", 1, 1,
                                                      __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
                       "times changed");
    blocked_or_escaped("move keep.txt to the writable sandbox",
                       __wasi_path_rename(ro, "keep.txt", sandbox, "stolen.txt"), "moved");
    /* A file opened read-write from a read-only preopen must not be writable either. */
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(ro, 0, "keep.txt", 0, READ_RIGHTS, 0, 0, &fd);
    if (e == 0) {
        __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
        __wasi_size_t n;
        blocked_or_escaped("write to a descriptor opened for reading", __wasi_fd_write(fd, &iov, 1, &n),
                           "wrote");
        blocked_or_escaped("fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, 0), "truncated");
        blocked_or_escaped("fd_allocate", __wasi_fd_allocate(fd, 0, 4096), "grew");
        __wasi_fd_close(fd);
    }
    int cfd = open("/ro/keep.txt", O_RDONLY);
    control("libc read /ro/keep.txt", cfd >= 0 ? 0 : (__wasi_errno_t)errno);
    if (cfd >= 0)
        close(cfd);
    errno = 0;
    int lfd = open("/ro/libc-new.txt", O_CREAT | O_WRONLY, 0644);
    printf("libc create /ro/libc-new.txt: %s\n", lfd < 0 ? "blocked" : "ESCAPED (created)");
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: escape MODE SECRET\n");
        return 2;
    }
    find_preopens();
    if (sandbox == (__wasi_fd_t)-1) {
        printf("no /sandbox preopen\n");
        return 2;
    }
    const char *mode = argv[1], *secret = argv[2];
    if (strcmp(mode, "dotdot") == 0)
        dotdot();
    else if (strcmp(mode, "absolute") == 0)
        absolute(secret);
    else if (strcmp(mode, "subdotdot") == 0)
        subdotdot();
    else if (strcmp(mode, "hostlink") == 0)
        hostlink();
    else if (strcmp(mode, "guestlink") == 0)
        guestlink(secret);
    else if (strcmp(mode, "hardlink") == 0)
        hardlink(secret);
    else if (strcmp(mode, "rename") == 0)
        rename_out();
    else if (strcmp(mode, "readonly") == 0 && ro != (__wasi_fd_t)-1)
        readonly();
    else {
        printf("unknown mode or missing preopen: %s\n", mode);
        return 2;
    }
    printf("done\n");
    return 0;
}
