/* A small Ethereum client for testing EVMC VMs: it loads a VM with EVMC's loader API, keeps
 * accounts (balance, code, storage) in memory, and runs the commands of a script, one per line:
 *
 *   balance ADDR N                    set ADDR's balance to N
 *   code ADDR FILE                    install FILE as ADDR's code
 *   create SENDER GAS FILE            run FILE as init code; the output becomes a new account's code
 *   deploy SENDER ADDR GAS FILE       run FILE as a call to ADDR; the output becomes ADDR's code (how
 *                                     WasmEdge-EVMC's own test deployed, as its creates fail)
 *   call SENDER ADDR GAS [HEX [VALUE]] run ADDR's code with call data HEX (and a value)
 *   logs                              print the logs emitted since the last `logs`
 *   repeat N SENDER ADDR GAS HEX      the call N times: prints `repeat N NS_PER_CALL STATUS GAS_LEFT`
 *
 * Addresses are hex, left-padded to 20 bytes. It prints what the VM said: `vm ABI NAME VERSION
 * CAPABILITIES` after loading (or `load-error CODE MESSAGE`), `create STATUS GAS_LEFT ADDRESS`,
 * `call STATUS GAS_LEFT OUTPUT`, `log ADDRESS TOPICS DATA`. Calls and creates a contract sends go
 * through the same VM, as in a real client, and what a call or create changed (storage, new
 * accounts, logs) is undone when it does not succeed. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <evmc/evmc.h>
#include <evmc/loader.h>

/* The ABI the host is built for, given on the command line, as EVMC's header has no macro for
 * it (its EVMC_ABI_VERSION is an enum constant). */
#ifndef WEDGE_EVMC_ABI
#error "build with -DWEDGE_EVMC_ABI=7 or 12"
#endif

#if WEDGE_EVMC_ABI >= 10
#define RECIPIENT recipient
#define CODE_ADDRESS code_address
#else
#define RECIPIENT destination
#define CODE_ADDRESS destination
#endif

typedef struct {
  evmc_bytes32 key, value;
} slot;

typedef struct {
  evmc_address address;
  evmc_uint256be balance;
  uint8_t *code;
  size_t code_size;
  slot *storage;
  size_t slots;
} account;

static account accounts[64];
static size_t naccounts;
static struct evmc_vm *vm;
static int created;

typedef struct {
  evmc_address address;
  size_t topics;
  evmc_bytes32 topic[4];
  uint8_t data[256];
  size_t size;
} log_entry;
static log_entry logs[64];
static size_t nlogs;

static account *find(const evmc_address *a, int make) {
  for (size_t i = 0; i < naccounts; i++)
    if (!memcmp(&accounts[i].address, a, sizeof *a)) return &accounts[i];
  if (!make || naccounts == 64) return NULL;
  account *n = &accounts[naccounts++];
  memset(n, 0, sizeof *n);
  n->address = *a;
  return n;
}

static bool account_exists(struct evmc_host_context *c, const evmc_address *a) {
  (void)c;
  return find(a, 0) != NULL;
}

static evmc_bytes32 get_storage(struct evmc_host_context *c, const evmc_address *a,
                                const evmc_bytes32 *key) {
  (void)c;
  evmc_bytes32 zero = {{0}};
  account *acc = find(a, 0);
  for (size_t i = 0; acc && i < acc->slots; i++)
    if (!memcmp(&acc->storage[i].key, key, 32)) return acc->storage[i].value;
  return zero;
}

static enum evmc_storage_status set_storage(struct evmc_host_context *c, const evmc_address *a,
                                            const evmc_bytes32 *key, const evmc_bytes32 *value) {
  (void)c;
  account *acc = find(a, 1);
  for (size_t i = 0; i < acc->slots; i++)
    if (!memcmp(&acc->storage[i].key, key, 32)) {
      acc->storage[i].value = *value;
      return (enum evmc_storage_status)0; /* ABI 12: ASSIGNED, ABI 7: UNCHANGED */
    }
  acc->storage = realloc(acc->storage, (acc->slots + 1) * sizeof(slot));
  acc->storage[acc->slots].key = *key;
  acc->storage[acc->slots++].value = *value;
  return (enum evmc_storage_status)0; /* ABI 12: ASSIGNED, ABI 7: UNCHANGED */
}

static evmc_uint256be get_balance(struct evmc_host_context *c, const evmc_address *a) {
  (void)c;
  evmc_uint256be zero = {{0}};
  account *acc = find(a, 0);
  return acc ? acc->balance : zero;
}

static size_t get_code_size(struct evmc_host_context *c, const evmc_address *a) {
  (void)c;
  account *acc = find(a, 0);
  return acc ? acc->code_size : 0;
}

static evmc_bytes32 get_code_hash(struct evmc_host_context *c, const evmc_address *a) {
  (void)c;
  (void)a;
  evmc_bytes32 zero = {{0}};
  return zero;
}

static size_t copy_code(struct evmc_host_context *c, const evmc_address *a, size_t offset,
                        uint8_t *buf, size_t size) {
  (void)c;
  account *acc = find(a, 0);
  if (!acc || offset >= acc->code_size) return 0;
  size_t n = acc->code_size - offset < size ? acc->code_size - offset : size;
  memcpy(buf, acc->code + offset, n);
  return n;
}

#if WEDGE_EVMC_ABI >= 9
static bool selfdestruct(struct evmc_host_context *c, const evmc_address *a,
                         const evmc_address *b) {
  (void)c;
  (void)a;
  (void)b;
  return true;
}
#else
static void selfdestruct(struct evmc_host_context *c, const evmc_address *a,
                         const evmc_address *b) {
  (void)c;
  (void)a;
  (void)b;
}
#endif

static struct evmc_tx_context get_tx_context(struct evmc_host_context *c) {
  (void)c;
  struct evmc_tx_context tx;
  memset(&tx, 0, sizeof tx);
  tx.tx_origin.bytes[19] = 0x01;
  tx.block_coinbase.bytes[0] = 0xcb;
  tx.block_number = 42;
  tx.block_timestamp = 1700000000;
  tx.block_gas_limit = 30000000;
  tx.chain_id.bytes[31] = 1;
  return tx;
}

static evmc_bytes32 get_block_hash(struct evmc_host_context *c, int64_t number) {
  (void)c;
  evmc_bytes32 h = {{0}};
  if (number == 41) memset(h.bytes, 0x41, 32);
  return h;
}

static void emit_log(struct evmc_host_context *c, const evmc_address *a, const uint8_t *data,
                     size_t size, const evmc_bytes32 topics[], size_t count) {
  (void)c;
  if (nlogs == 64) return;
  log_entry *l = &logs[nlogs++];
  l->address = *a;
  l->topics = count;
  for (size_t i = 0; i < count && i < 4; i++) l->topic[i] = topics[i];
  l->size = size < sizeof l->data ? size : sizeof l->data;
  memcpy(l->data, data, l->size);
}

static struct evmc_result run(const struct evmc_message *msg, const uint8_t *code, size_t size);

/* A copy of the state, to go back to when a message fails (leaked: this is a test). */
typedef struct {
  account accounts[64];
  size_t naccounts, nlogs;
} snapshot;

static snapshot *save(void) {
  snapshot *s = malloc(sizeof *s);
  s->naccounts = naccounts;
  s->nlogs = nlogs;
  for (size_t i = 0; i < naccounts; i++) {
    s->accounts[i] = accounts[i];
    s->accounts[i].storage = malloc((accounts[i].slots + 1) * sizeof(slot));
    memcpy(s->accounts[i].storage, accounts[i].storage, accounts[i].slots * sizeof(slot));
  }
  return s;
}

static void restore(const snapshot *s) {
  naccounts = s->naccounts;
  nlogs = s->nlogs;
  for (size_t i = 0; i < naccounts; i++) accounts[i] = s->accounts[i];
}

static struct evmc_result execute(const struct evmc_message *msg, const uint8_t *code,
                                  size_t size) {
  snapshot *s = save();
  struct evmc_result r = run(msg, code, size);
  if (r.status_code != EVMC_SUCCESS) restore(s);
  return r;
}

static struct evmc_result call(struct evmc_host_context *c, const struct evmc_message *msg) {
  (void)c;
  struct evmc_message m = *msg;
  if (msg->kind == EVMC_CREATE || msg->kind == EVMC_CREATE2) {
    evmc_address fresh = {{0}};
    fresh.bytes[0] = 0xc0;
    fresh.bytes[19] = (uint8_t)++created;
    m.RECIPIENT = fresh;
#if WEDGE_EVMC_ABI >= 10
    m.code_address = fresh;
#endif
    struct evmc_result r = execute(&m, msg->input_data, msg->input_size);
    if (r.status_code == EVMC_SUCCESS) {
      account *acc = find(&fresh, 1);
      acc->code = malloc(r.output_size);
      memcpy(acc->code, r.output_data, r.output_size);
      acc->code_size = r.output_size;
      r.create_address = fresh;
    }
    return r;
  }
  account *target = find(&msg->CODE_ADDRESS, 0);
  if (!target || !target->code_size) {
    struct evmc_result r;
    memset(&r, 0, sizeof r);
    r.status_code = EVMC_SUCCESS;
    r.gas_left = msg->gas;
    return r;
  }
  return execute(&m, target->code, target->code_size);
}

static const struct evmc_host_interface host = {
    .account_exists = account_exists,
    .get_storage = get_storage,
    .set_storage = set_storage,
    .get_balance = get_balance,
    .get_code_size = get_code_size,
    .get_code_hash = get_code_hash,
    .copy_code = copy_code,
    .selfdestruct = selfdestruct,
    .call = call,
    .get_tx_context = get_tx_context,
    .get_block_hash = get_block_hash,
    .emit_log = emit_log,
};

static struct evmc_result run(const struct evmc_message *msg, const uint8_t *code, size_t size) {
  return vm->execute(vm, &host, NULL, EVMC_MAX_REVISION, msg, code, size);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads hex into the last bytes of `out` (n bytes, left-padded with zeros). */
static void parse_padded(const char *hex, uint8_t *out, size_t n) {
  memset(out, 0, n);
  size_t len = strlen(hex);
  for (size_t i = 0; i < len && i / 2 < n; i++) {
    size_t from_end = len - 1 - i;
    int v = hexval(hex[from_end]);
    if (v < 0) continue;
    out[n - 1 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
  }
}

static size_t parse_bytes(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  for (; hex[0] && hex[1] && n < cap; hex += 2) out[n++] = (uint8_t)(hexval(hex[0]) << 4 | hexval(hex[1]));
  return n;
}

static void print_hex(const uint8_t *b, size_t n) {
  if (!n) printf("-");
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}

/* A top-level call from SENDER to ADDR with GAS. */
static struct evmc_message message_to(const char *sender, const char *to, const char *gas) {
  struct evmc_message msg;
  memset(&msg, 0, sizeof msg);
  msg.kind = EVMC_CALL;
  parse_padded(sender, msg.sender.bytes, 20);
  parse_padded(to, msg.RECIPIENT.bytes, 20);
#if WEDGE_EVMC_ABI >= 10
  msg.code_address = msg.RECIPIENT;
#endif
  msg.gas = atoll(gas);
  return msg;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *data = malloc(*size ? *size : 1);
  if (fread(data, 1, *size, f) != *size) exit(2);
  fclose(f);
  return data;
}

static void release(struct evmc_result *r) {
  if (r->release) r->release(r);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s VM-LIBRARY SCRIPT\n", argv[0]);
    return 2;
  }
  enum evmc_loader_error_code err = (enum evmc_loader_error_code)-1;
  vm = evmc_load_and_create(argv[1], &err);
  if (!vm) {
    const char *msg = evmc_last_error_msg();
    printf("load-error %d %s\n", (int)err, msg ? msg : "");
    return 0;
  }
  printf("vm %d %s %s %u\n", vm->abi_version, vm->name, vm->version,
         vm->get_capabilities(vm));
  FILE *script = fopen(argv[2], "r");
  if (!script) {
    perror(argv[2]);
    return 2;
  }
  char line[8192];
  static uint8_t input[4096];
  while (fgets(line, sizeof line, script)) {
    char cmd[32] = "", a[4100] = "", b[4100] = "", c[4100] = "", d[4100] = "", e[4100] = "";
    if (sscanf(line, "%31s %4099s %4099s %4099s %4099s %4099s", cmd, a, b, c, d, e) < 1) continue;
    struct evmc_message msg;
    memset(&msg, 0, sizeof msg);
    if (!strcmp(cmd, "balance")) {
      evmc_address addr;
      parse_padded(a, addr.bytes, 20);
      parse_padded(b, find(&addr, 1)->balance.bytes, 32);
    } else if (!strcmp(cmd, "code")) {
      evmc_address addr;
      parse_padded(a, addr.bytes, 20);
      account *acc = find(&addr, 1);
      acc->code = read_file(b, &acc->code_size);
    } else if (!strcmp(cmd, "create")) {
      size_t size;
      uint8_t *code = read_file(c, &size);
      parse_padded(a, msg.sender.bytes, 20);
      msg.kind = EVMC_CREATE;
      msg.gas = atoll(b);
      msg.input_data = code;
      msg.input_size = size;
      struct evmc_result r = call(NULL, &msg);
      printf("create %d %lld ", (int)r.status_code, (long long)r.gas_left);
      print_hex(r.create_address.bytes, r.status_code == EVMC_SUCCESS ? 20 : 0);
      printf("\n");
      release(&r);
      free(code);
    } else if (!strcmp(cmd, "deploy")) {
      size_t size;
      uint8_t *code = read_file(d, &size);
      msg = message_to(a, b, c);
      struct evmc_result r = execute(&msg, code, size);
      printf("deploy %d %lld %zu\n", (int)r.status_code, (long long)r.gas_left, r.output_size);
      if (r.status_code == EVMC_SUCCESS) {
        account *acc = find(&msg.RECIPIENT, 1);
        acc->code = malloc(r.output_size);
        memcpy(acc->code, r.output_data, r.output_size);
        acc->code_size = r.output_size;
      }
      release(&r);
      free(code);
    } else if (!strcmp(cmd, "repeat")) {
      long n = atol(a);
      msg = message_to(b, c, d);
      msg.input_size = parse_bytes(e, input, sizeof input);
      msg.input_data = input;
      struct timespec t0, t1;
      struct evmc_result r;
      memset(&r, 0, sizeof r);
      clock_gettime(CLOCK_MONOTONIC, &t0);
      for (long i = 0; i < n; i++) {
        release(&r);
        r = call(NULL, &msg);
      }
      clock_gettime(CLOCK_MONOTONIC, &t1);
      double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (double)(n ? n : 1);
      printf("repeat %ld %.0f %d %lld\n", n, ns, (int)r.status_code, (long long)r.gas_left);
      release(&r);
    } else if (!strcmp(cmd, "call")) {
      msg = message_to(a, b, c);
      msg.input_size = parse_bytes(d, input, sizeof input);
      msg.input_data = input;
      parse_padded(e, msg.value.bytes, 32);
      struct evmc_result r = call(NULL, &msg);
      printf("call %d %lld ", (int)r.status_code, (long long)r.gas_left);
      print_hex(r.output_data, r.output_size);
      printf("\n");
      release(&r);
    } else if (!strcmp(cmd, "logs")) {
      for (size_t i = 0; i < nlogs; i++) {
        printf("log ");
        print_hex(logs[i].address.bytes, 20);
        printf(" %zu ", logs[i].topics);
        print_hex(logs[i].data, logs[i].size);
        printf("\n");
      }
      nlogs = 0;
    } else {
      fprintf(stderr, "unknown command %s\n", cmd);
      return 2;
    }
    fflush(stdout);
  }
  fclose(script);
  vm->destroy(vm);
  return 0;
}
