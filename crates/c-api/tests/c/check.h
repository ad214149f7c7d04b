/* The check the C test programs share: prints "ok   WHAT" or "FAIL WHAT (line N)" and counts
 * failures; each program ends with printf("%d failures\n", failures) and a matching status. */
#ifndef WEDGE_TESTS_CHECK_H
#define WEDGE_TESTS_CHECK_H

#include <stdio.h>

static int failures = 0;

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (cond) {                                                                \
      printf("ok   %s\n", what);                                               \
    } else {                                                                   \
      printf("FAIL %s (line %d)\n", what, __LINE__);                           \
      failures++;                                                              \
    }                                                                          \
    fflush(stdout);                                                            \
  } while (0)

#endif
