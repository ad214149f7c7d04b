/* Calls wasmedge_tensorflow and prints each errno, "NAME=ERRNO" a line.
 *
 * Usage:
 *   tf errors                 calls that need no TensorFlow: unknown sessions and tensor ids,
 *                             pointers past memory, a graph (garbage) when TensorFlow is absent
 *   tf frozen MODEL INPUT     runs the frozen graph MODEL (input "x:0" f32 [1,4] from the file
 *                             INPUT, output "y:0"), prints "y=V V V", then errnos of bad calls
 *   tf saved DIR INPUT X Y    loads the SavedModel DIR (tag "serve"), feeds X, fetches Y,
 *                             prints "y=V V V"
 *   tf saved_open DIR         only create_session_saved_model(DIR) (paths outside preopens)
 *
 * Output is written at exit in one piece, so that guests on several threads do not mix lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfimport.h"

#define GUEST "tf"
#include "guest.h"

static char out[8192];
static size_t used;

static void say(const char *name, uint32_t err) {
  used += (size_t)snprintf(out + used, sizeof out - used, "%s=%u\n", name, (unsigned)err);
}

static const int64_t dims14[2] = {1, 4};

/* Runs session `sid` and prints "y=" with the values of output `y`. */
static void run_and_print(uint32_t sid, const char *x, const char *y, const float *in) {
  uint32_t e, tid = 99, len = 0, written = 0;
  float vals[16];
  if ((e = tf_append_input(sid, S(x), P(dims14), 2, TF_FLOAT, P(in), 16)) != 0) {
    say("append_input", e);
    return;
  }
  if ((e = tf_append_output(sid, S(y))) != 0) {
    say("append_output", e);
    return;
  }
  if ((e = tf_run_session(sid)) != 0) {
    say("run_session", e);
    return;
  }
  if ((e = tf_get_output_tensor(sid, S(y), P(&tid))) != 0) {
    say("get_output_tensor", e);
    return;
  }
  if ((e = tf_get_tensor_len(sid, tid, P(&len))) != 0 || len != 12) {
    say("get_tensor_len", e ? e : 100 + len);
    return;
  }
  if ((e = tf_get_tensor_data(sid, tid, P(vals), sizeof vals, P(&written))) != 0 ||
      written != 12) {
    say("get_tensor_data", e ? e : 100 + written);
    return;
  }
  used += (size_t)snprintf(out + used, sizeof out - used, "y=%.9g %.9g %.9g\n", vals[0],
                           vals[1], vals[2]);
}

static void errors(void) {
  uint32_t sid = 0, tid = 0, len = 0, written = 0;
  float buf[4] = {0};
  static const char garbage[] = "not a graph";
  say("run_unknown", tf_run_session(7));
  say("append_input_unknown",
      tf_append_input(7, S("x:0"), P(dims14), 2, TF_FLOAT, P(buf), 16));
  say("append_output_unknown", tf_append_output(7, S("y:0")));
  say("clear_input_unknown", tf_clear_input(7));
  say("clear_output_unknown", tf_clear_output(7));
  say("get_output_tensor_unknown", tf_get_output_tensor(7, S("y:0"), P(&tid)));
  say("get_tensor_len_unknown", tf_get_tensor_len(7, 0, P(&len)));
  say("get_tensor_data_unknown", tf_get_tensor_data(7, 0, P(buf), 16, P(&written)));
  say("delete_unknown", tf_delete_session(7));
  /* Pointers past memory are errno 3 before anything else is looked at. */
  say("create_model_oob", tf_create_session(FAR, 64, P(&sid)));
  say("create_sid_oob", tf_create_session(P(garbage), sizeof garbage, FAR));
  say("saved_path_oob", tf_create_session_saved_model(FAR, 8, 0, 0, P(&sid)));
  say("saved_tags_oob", tf_create_session_saved_model(S("/m"), FAR, 1, P(&sid)));
  /* The session is checked before the result pointer, as in WasmEdge. */
  say("get_tensor_len_unknown_and_oob", tf_get_tensor_len(7, 0, FAR));
  /* The graph is never looked at when TensorFlow is absent. */
  say("create_garbage", tf_create_session(P(garbage), sizeof garbage, P(&sid)));
  printf("%s", out);
}

static void frozen(const char *model_path, const char *input_path) {
  uint32_t n, in_n;
  uint8_t *model = guest_read_file(model_path, &n);
  float *in = (float *)guest_read_file(input_path, &in_n);
  uint32_t sid = 99, sid2 = 99, e, tid = 0, len = 0, written = 0;
  float vals[16];
  if ((e = tf_create_session(P(model), (uint32_t)n, P(&sid))) != 0) {
    say("create_session", e);
    printf("%s", out);
    return;
  }
  run_and_print(sid, "x:0", "y:0", in);
  /* A second session of the same graph gets another id; its run matches. */
  say("create_second", tf_create_session(P(model), (uint32_t)n, P(&sid2)));
  say("second_id_differs", sid2 != sid ? 0 : 1);
  /* Bad graphs and inputs. */
  static const char garbage[] = "not a graph";
  uint32_t bad = 77;
  say("create_corrupt", tf_create_session(P(garbage), sizeof garbage, P(&bad)));
  say("create_truncated", tf_create_session(P(model), (uint32_t)n / 2, P(&bad)));
  say("append_input_short_data", tf_append_input(sid, S("x:0"), P(dims14), 2, TF_FLOAT, P(in), 12));
  say("append_input_unknown_name", tf_append_input(sid, S("nosuch:0"), P(dims14), 2, TF_FLOAT, P(in), 16));
  say("append_input_bad_index", tf_append_input(sid, S("x:5"), P(dims14), 2, TF_FLOAT, P(in), 16));
  say("append_input_string_type", tf_append_input(sid, S("x:0"), P(dims14), 2, 7, P(in), 16));
  say("append_input_type_99", tf_append_input(sid, S("x:0"), P(dims14), 2, 99, P(in), 16));
  static const int64_t neg[2] = {-1, 4};
  say("append_input_negative_dim", tf_append_input(sid, S("x:0"), P(neg), 2, TF_FLOAT, P(in), 16));
  say("append_input_dims_oob", tf_append_input(sid, S("x:0"), FAR, 2, TF_FLOAT, P(in), 16));
  say("append_input_data_oob", tf_append_input(sid, S("x:0"), P(dims14), 2, TF_FLOAT, FAR, 16));
  say("append_output_unknown_name", tf_append_output(sid, S("nosuch")));
  say("get_output_tensor_unknown_name", tf_get_output_tensor(sid, S("x:0"), P(&tid)));
  say("get_tensor_len_bad_id", tf_get_tensor_len(sid, 5, P(&len)));
  say("get_tensor_data_bad_id", tf_get_tensor_data(sid, 5, P(vals), 16, P(&written)));
  say("get_tensor_data_buf_oob", tf_get_tensor_data(sid, 0, FAR, 16, P(&written)));
  say("get_tensor_data_written_oob", tf_get_tensor_data(sid, 0, P(vals), 16, FAR));
  /* A short buffer gets the first bytes. */
  written = 0;
  e = tf_get_tensor_data(sid, 0, P(vals), 8, P(&written));
  say("get_tensor_data_short", e ? e : (written == 8 ? 0 : 100 + written));
  /* An int32 tensor for a float placeholder: TensorFlow refuses the run (busy). */
  int32_t ints[4] = {1, 2, 3, 4};
  say("append_input_int32", tf_append_input(sid, S("x:0"), P(dims14), 2, TF_INT32, P(ints), 16));
  say("run_wrong_type", tf_run_session(sid));
  /* A wrong shape: [2, 2]. */
  static const int64_t d22[2] = {2, 2};
  say("append_input_2x2", tf_append_input(sid, S("x:0"), P(d22), 2, TF_FLOAT, P(in), 16));
  say("run_wrong_shape", tf_run_session(sid));
  say("get_tensor_len_after_failed_run", tf_get_tensor_len(sid, 0, P(&len)));
  say("len_after_failed_run", len);
  /* Cleared inputs: the placeholder is not fed. */
  say("clear_input", tf_clear_input(sid));
  say("run_no_input", tf_run_session(sid));
  say("clear_output", tf_clear_output(sid));
  say("get_output_tensor_after_clear", tf_get_output_tensor(sid, S("y:0"), P(&tid)));
  /* The second session still works; the first is gone after delete. */
  run_and_print(sid2, "x", "y", in);
  say("delete", tf_delete_session(sid));
  say("run_deleted", tf_run_session(sid));
  say("delete_again", tf_delete_session(sid));
  say("delete_second", tf_delete_session(sid2));
  printf("%s", out);
}

static void saved(const char *dir, const char *input_path, const char *x, const char *y) {
  uint32_t in_n;
  float *in = (float *)guest_read_file(input_path, &in_n);
  uint32_t sid = 99, e;
  uint32_t tags[2] = {P("serve"), 5};
  if ((e = tf_create_session_saved_model(S(dir), P(tags), 1, P(&sid))) != 0) {
    say("create_session_saved_model", e);
  } else {
    run_and_print(sid, x, y, in);
    say("delete", tf_delete_session(sid));
  }
  uint32_t bad_tags[2] = {P("nosuchtag"), 9};
  say("saved_unknown_tag", tf_create_session_saved_model(S(dir), P(bad_tags), 1, P(&sid)));
  printf("%s", out);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "errors") == 0) {
    errors();
  } else if (argc == 4 && strcmp(argv[1], "frozen") == 0) {
    frozen(argv[2], argv[3]);
  } else if (argc == 6 && strcmp(argv[1], "saved") == 0) {
    saved(argv[2], argv[3], argv[4], argv[5]);
  } else if (argc == 3 && strcmp(argv[1], "saved_open") == 0) {
    uint32_t sid = 0;
    uint32_t tags[2] = {P("serve"), 5};
    say("saved_open", tf_create_session_saved_model(S(argv[2]), P(tags), 1, P(&sid)));
    printf("%s", out);
  } else {
    fprintf(stderr, "usage: tf errors | frozen MODEL INPUT | saved DIR INPUT X Y | saved_open DIR\n");
    return 2;
  }
  return 0;
}
