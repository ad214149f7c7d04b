/* Makes every function <zlib.h> declares an import from the wasmedge_zlib module, so that an
 * ordinary zlib program links against the plug-in (compile with -include zimport.h). The
 * system headers zconf.h pulls in come first, so that only zlib's own functions get the
 * attribute.
 *
 * WasmEdge's ABI passes z_off_t (adler32_combine, crc32_combine, gzseek, gztell, gzoffset) as
 * a 32-bit integer, as wasm32's `long`; wasi-libc's off_t, which zconf.h would pick, is 64-bit.
 * zconf.h takes a z_off_t defined beforehand, so define it as `long` here. */
#define z_off_t long
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>
#pragma clang attribute push(__attribute__((import_module("wasmedge_zlib"))), apply_to = function)
#include <zlib.h>
#pragma clang attribute pop
