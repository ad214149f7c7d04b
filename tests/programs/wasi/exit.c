/* Ends with the status given as argv[1]: through exit() (proc_exit) by default, by returning
 * it from main with "return", or through the raw proc_exit call with "raw"; with "trap" it
 * executes `unreachable` instead. Output written before the exit must not be lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
    int status = argc > 1 ? atoi(argv[1]) : 0;
    const char *how = argc > 2 ? argv[2] : "exit";
    printf("exiting with %d via %s\n", status, how);
    fflush(stdout);
    if (strcmp(how, "return") == 0)
        return status;
    if (strcmp(how, "trap") == 0)
        __builtin_trap();
    if (strcmp(how, "raw") == 0)
        __wasi_proc_exit((__wasi_exitcode_t)status);
    exit(status);
}
