/* An ERC-20 token as an ewasm contract, with Solidity's ABI and storage layout:
 * totalSupply in slot 0, balances in the mapping at slot 1, allowances in the mapping of
 * mappings at slot 2, keys hashed with Keccak-256 through the precompile at address 9.
 *
 * Built twice (build.sh): as the runtime code (erc20.wasm) and, with -DDEPLOY, as the deployment
 * code (erc20_deploy.wasm), whose constructor mints 1000 tokens to its caller and returns the
 * runtime code. Each entry point pays `useGas` first, standing for the metering that ewasm tools
 * inject. */
#include "eei.h"

#ifdef DEPLOY
#include "erc20_runtime.h" /* erc20_wasm, erc20_wasm_len (xxd -i) */
#endif

static const u8 KECCAK[20] = {[19] = 9};
/* Keccak-256("Transfer(address,address,uint256)") and ("Approval(address,address,uint256)"). */
static const word TRANSFER = {{0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0,
                               0x68, 0xfc, 0x37, 0x8d, 0xaa, 0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4,
                               0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d, 0xf5, 0x23, 0xb3, 0xef}};
static const word APPROVAL = {{0x8c, 0x5b, 0xe1, 0xe5, 0xeb, 0xec, 0x7d, 0x5b, 0xd1, 0x4f, 0x71,
                               0x42, 0x7d, 0x1e, 0x84, 0xf3, 0xdd, 0x03, 0x14, 0xc0, 0xf7, 0xb2,
                               0x29, 0x1e, 0x5b, 0x20, 0x0a, 0xc8, 0xc7, 0xc3, 0xb9, 0x25}};

/* keccak256(a ++ b) */
static word hash2(const word *a, const word *b) {
  u8 data[64];
  memcpy(data, a, 32);
  memcpy(data + 32, b, 32);
  word h;
  eei_call_static(0, KECCAK, data, 64);
  eei_return_data_copy(h.b, 0, 32);
  return h;
}

/* An address as a left-padded word. */
static word word_of_address(const u8 *address) {
  word w = {{0}};
  memcpy(w.b + 12, address, 20);
  return w;
}

static word balance_key(const word *owner) {
  word slot = word_of(1);
  return hash2(owner, &slot);
}

static word allowance_key(const word *owner, const word *spender) {
  word slot = word_of(2);
  word inner = hash2(owner, &slot);
  return hash2(spender, &inner);
}

static word load(const word *key) {
  word v;
  eei_storage_load(key->b, v.b);
  return v;
}

static void store(const word *key, const word *value) { eei_storage_store(key->b, value->b); }

static void emit(const word *event, const word *from, const word *to, const word *amount) {
  eei_log(amount->b, 32, 3, event->b, from->b, to->b, 0);
}

static void fail(void) { eei_revert(0, 0); }

/* Moves `amount` from `from`'s balance to `to`'s, or reverts. */
static void move(const word *from, const word *to, const word *amount) {
  word from_key = balance_key(from);
  word from_balance = load(&from_key);
  if (word_lt(&from_balance, amount)) fail();
  word_sub(&from_balance, amount);
  store(&from_key, &from_balance);
  word to_key = balance_key(to);
  word to_balance = load(&to_key);
  word_add(&to_balance, amount);
  store(&to_key, &to_balance);
  emit(&TRANSFER, from, to, amount);
}

static void return_word(const word *w) { eei_finish(w->b, 32); }

static word caller(void) {
  u8 address[20];
  eei_get_caller(address);
  return word_of_address(address);
}

#ifdef DEPLOY

__attribute__((export_name("main"))) void deploy(void) {
  eei_use_gas(100);
  word supply = word_of(1000), zero = word_of(0), slot0 = word_of(0);
  word owner = caller();
  store(&slot0, &supply);
  word key = balance_key(&owner);
  store(&key, &supply);
  emit(&TRANSFER, &zero, &owner, &supply);
  eei_finish(erc20_wasm, erc20_wasm_len);
}

#else

/* The call data: a 4-byte selector and up to three 32-byte arguments. */
static struct {
  u8 selector[4];
  word arg[3];
} input;

static void need_args(u32 n) {
  if (eei_call_data_size() != 4 + 32 * n) fail();
}

__attribute__((export_name("main"))) void run(void) {
  eei_use_gas(100);
  u32 size = eei_call_data_size();
  if (size < 4 || size > sizeof input) fail();
  eei_call_data_copy(input.selector, 0, size);
  u32 selector = (u32)input.selector[0] << 24 | (u32)input.selector[1] << 16 |
                 (u32)input.selector[2] << 8 | input.selector[3];
  word result = word_of(1);
  switch (selector) {
    case 0x18160ddd: { /* totalSupply() */
      need_args(0);
      word slot0 = word_of(0);
      result = load(&slot0);
      break;
    }
    case 0x70a08231: { /* balanceOf(address) */
      need_args(1);
      word key = balance_key(&input.arg[0]);
      result = load(&key);
      break;
    }
    case 0xa9059cbb: { /* transfer(address,uint256) */
      need_args(2);
      word from = caller();
      move(&from, &input.arg[0], &input.arg[1]);
      break;
    }
    case 0x095ea7b3: { /* approve(address,uint256) */
      need_args(2);
      word owner = caller();
      word key = allowance_key(&owner, &input.arg[0]);
      store(&key, &input.arg[1]);
      emit(&APPROVAL, &owner, &input.arg[0], &input.arg[1]);
      break;
    }
    case 0xdd62ed3e: { /* allowance(address,address) */
      need_args(2);
      word key = allowance_key(&input.arg[0], &input.arg[1]);
      result = load(&key);
      break;
    }
    case 0x23b872dd: { /* transferFrom(address,address,uint256) */
      need_args(3);
      word spender = caller();
      word key = allowance_key(&input.arg[0], &spender);
      word allowed = load(&key);
      if (word_lt(&allowed, &input.arg[2])) fail();
      word_sub(&allowed, &input.arg[2]);
      store(&key, &allowed);
      move(&input.arg[0], &input.arg[1], &input.arg[2]);
      break;
    }
    default:
      fail();
  }
  return_word(&result);
}

#endif
