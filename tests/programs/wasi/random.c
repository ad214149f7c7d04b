/* random_get: fills buffers with bytes that are not all zero and differ between calls;
 * a zero-length request succeeds; libc's getentropy works on top of it. */
#include "common.h"
#include <string.h>
#include <unistd.h>

int main(void) {
    unsigned char a[256], b[256], zero[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    memset(zero, 0, sizeof zero);
    CHECK(__wasi_random_get(a, sizeof a) == 0, "random_get a");
    CHECK(__wasi_random_get(b, sizeof b) == 0, "random_get b");
    printf("filled: %s\n", memcmp(a, zero, sizeof a) != 0 && memcmp(b, zero, sizeof b) != 0 ? "yes" : "no");
    printf("calls differ: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
    /* 256 random bytes take many values; a constant fill would not. */
    int seen[256] = {0}, distinct = 0;
    for (unsigned i = 0; i < sizeof a; i++)
        if (!seen[a[i]]++)
            distinct++;
    printf("spread: %s\n", distinct > 64 ? "yes" : "no");
    printf("empty request: %s\n", wasi_errno_name(__wasi_random_get(a, 0)));
    unsigned char c[32] = {0};
    printf("getentropy: %s\n", getentropy(c, sizeof c) == 0 && memcmp(c, zero, sizeof c) != 0 ? "ok" : "BAD");
    return 0;
}
