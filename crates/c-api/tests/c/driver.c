/* The command-line tools in the library (wasmedge_tools.h), run by tests/all/driver.rs.
 * Usage: driver WASI.wasm DIR   (WASI.wasm prints its argv[1] and first environment entry,
 * then calls proc_exit(3))
 * Runs the guest through the unified tool and the runtime tool, compiles it with the compiler
 * tool into DIR/guest.aot.wasm and runs that, and gives bad command lines, checking each exit
 * status and that the program goes on. Prints one line per check (the guest's lines come before
 * the check of the run that printed them) and exits 1 if any failed. */
#define _POSIX_C_SOURCE 200809L
#include <wasmedge/wasmedge.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: driver WASI.wasm DIR\n");
    return 2;
  }
  /* Unbuffered, so our lines and the tools' output (flushed before they return) keep their
   * order on a pipe. */
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *guest = argv[1];
  char aot[4096];
  snprintf(aot, sizeof aot, "%s/guest.aot.wasm", argv[2]);

  /* The unified tool: `run` named, and by default. */
  const char *uni_run[] = {"wasmedge", "run", "--env", "GREETING=uni", guest, "from-uni"};
  int rc = WasmEdge_Driver_UniTool(ARGC(uni_run), uni_run);
  CHECK(rc == 3, "UniTool run returns the guest's proc_exit code");
  const char *uni_default[] = {"wasmedge", "--env", "GREETING=default", guest, "from-default"};
  rc = WasmEdge_Driver_UniTool(ARGC(uni_default), uni_default);
  CHECK(rc == 3, "UniTool runs without a subcommand");

  /* The runtime tool: the first word is the file; a NULL entry ends the list. */
  const char *tool_run[] = {"wasmedge", "--env", "GREETING=tool", guest, "from-tool", NULL, "x"};
  rc = WasmEdge_Driver_Tool(ARGC(tool_run), tool_run);
  CHECK(rc == 3, "Tool runs the guest and returns its proc_exit code");
  const char *tool_sub[] = {"wasmedge", "run", guest};
  rc = WasmEdge_Driver_Tool(ARGC(tool_sub), tool_sub);
  CHECK(rc == 1, "Tool takes no subcommand: `run` is a missing file");

  /* The compiler tool writes a universal wasm, which runs with its native code. */
  const char *compile[] = {"wasmedgec", "--optimize", "0", guest, aot};
  rc = WasmEdge_Driver_Compiler(ARGC(compile), compile);
  CHECK(rc == 0, "Compiler compiles the guest");
  CHECK(file_size(aot) > file_size(guest), "the output is the module plus native code");
  setenv("WEDGE_JIT_LOG", "1", 1);
  const char *run_aot[] = {"wasmedge", "run", "--run-mode", "aot", "--env", "GREETING=aot",
                           aot, "from-aot"};
  rc = WasmEdge_Driver_UniTool(ARGC(run_aot), run_aot);
  unsetenv("WEDGE_JIT_LOG");
  CHECK(rc == 3, "the compiled guest runs and returns its proc_exit code");

  /* Bad command lines fail with 1 and the program goes on. */
  const char *bad_flag[] = {"wasmedge", "--no-such-flag", guest};
  rc = WasmEdge_Driver_UniTool(ARGC(bad_flag), bad_flag);
  CHECK(rc == 1, "UniTool: an unknown flag is 1");
  const char *bad_tool[] = {"wasmedge", "--optimize", "2", guest};
  rc = WasmEdge_Driver_Tool(ARGC(bad_tool), bad_tool);
  CHECK(rc == 1, "Tool: a compiler flag is unknown, 1");
  const char *bad_compile[] = {"wasmedgec", "--reactor", guest, aot};
  rc = WasmEdge_Driver_Compiler(ARGC(bad_compile), bad_compile);
  CHECK(rc == 1, "Compiler: a run flag is unknown, 1");
  const char *no_output[] = {"wasmedgec", guest};
  rc = WasmEdge_Driver_Compiler(ARGC(no_output), no_output);
  CHECK(rc == 1, "Compiler: a missing output is 1");
  rc = WasmEdge_Driver_UniTool(0, NULL);
  CHECK(rc == 1, "UniTool: no command line is a missing input, 1");

  /* And the tools still run. */
  rc = WasmEdge_Driver_UniTool(ARGC(uni_run), uni_run);
  CHECK(rc == 3, "UniTool runs the guest again after the failures");

  printf("%d failures\n", failures);
  return failures != 0;
}
