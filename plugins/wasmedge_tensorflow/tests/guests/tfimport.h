/* The wasmedge_tensorflow module as WasmEdge 0.17.1 declares it: every parameter and result
 * i32, every result an errno (0 success, 1 invalid argument, 2 invalid encoding, 3 missing
 * memory, 4 busy, 5 runtime error). Names are "operation:index"; dtype is TF_DataType. */
#include <stdint.h>

#define TF(name) __attribute__((import_module("wasmedge_tensorflow"), import_name(#name)))

TF(create_session) uint32_t tf_create_session(uint32_t buf, uint32_t len, uint32_t sid);
TF(create_session_saved_model)
uint32_t tf_create_session_saved_model(uint32_t path, uint32_t len, uint32_t tags,
                                       uint32_t ntags, uint32_t sid);
TF(delete_session) uint32_t tf_delete_session(uint32_t sid);
TF(run_session) uint32_t tf_run_session(uint32_t sid);
TF(get_output_tensor)
uint32_t tf_get_output_tensor(uint32_t sid, uint32_t name, uint32_t len, uint32_t tid);
TF(get_tensor_len) uint32_t tf_get_tensor_len(uint32_t sid, uint32_t tid, uint32_t len);
TF(get_tensor_data)
uint32_t tf_get_tensor_data(uint32_t sid, uint32_t tid, uint32_t buf, uint32_t len,
                            uint32_t written);
TF(append_input)
uint32_t tf_append_input(uint32_t sid, uint32_t name, uint32_t len, uint32_t dims,
                         uint32_t ndims, uint32_t dtype, uint32_t buf, uint32_t buflen);
TF(append_output) uint32_t tf_append_output(uint32_t sid, uint32_t name, uint32_t len);
TF(clear_input) uint32_t tf_clear_input(uint32_t sid);
TF(clear_output) uint32_t tf_clear_output(uint32_t sid);

#define P(x) ((uint32_t)(uintptr_t)(x))
#define S(s) P(s), (uint32_t)strlen(s)
/* An address past any guest memory this small program has. */
#define FAR 0xfffffff0u
#define TF_FLOAT 1
#define TF_INT32 3
