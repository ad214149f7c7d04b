/* Prints its arguments and its whole environment, one per line, then the result of getenv
 * for the names given with -g NAME. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    int n = 0;
    for (char **e = environ; *e; e++, n++)
        printf("env: %s\n", *e);
    printf("envc=%d\n", n);
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "-g") == 0) {
            const char *v = getenv(argv[i + 1]);
            printf("getenv(%s)=%s\n", argv[i + 1], v ? v : "(null)");
        }
    return 0;
}
