/* Wedge's extensions of the WasmEdge C API: functions WasmEdge does not have, named outside its
 * namespace. A plug-in that may also run under WasmEdge looks them up at run time (dlsym) and
 * does without them when they are missing. */
#ifndef WEDGE_GUEST_FILE_H
#define WEDGE_GUEST_FILE_H

#include "wasmedge/wasmedge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of Wedge_CallingFrameOpenGuestFile. */
enum Wedge_GuestFileFlag {
  Wedge_GuestFile_Read = 1,
  Wedge_GuestFile_Write = 2,
  Wedge_GuestFile_Append = 4,
  Wedge_GuestFile_Create = 8,
  Wedge_GuestFile_Truncate = 16,
  Wedge_GuestFile_CreateNew = 32
};

/* Opens the file Path (PathLen bytes of UTF-8) as the guest of the calling frame could through
 * its WASI preopened directories, with the sandbox of WASI path_open (no way out through "..",
 * absolute paths or symbolic links; :readonly preopens refuse writes), and returns a host file
 * descriptor the caller owns and closes. Flags is a set of Wedge_GuestFile_* bits.
 * On failure returns minus a WASI errno: -76 (ENOTCAPABLE) for a path outside the preopens or a
 * refused access, -52 (ENOSYS) when the calling store has no WASI context, -28 (EINVAL) for a
 * NULL frame or path or unknown flags, -25 (EILSEQ) for a path that is not UTF-8, or the error
 * opening the file gave (-44 ENOENT, ...). */
__attribute__((visibility("default"))) extern int32_t
Wedge_CallingFrameOpenGuestFile(const WasmEdge_CallingFrameContext *Cxt, const char *Path,
                                uint32_t PathLen, uint32_t Flags);

#ifdef __cplusplus
}
#endif

#endif /* WEDGE_GUEST_FILE_H */
