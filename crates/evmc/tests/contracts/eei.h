/* The EEI functions the test contracts use, imported from the `ethereum` module, and the few
 * helpers a contract built without a C library needs. */
#ifndef WEDGE_TEST_EEI_H
#define WEDGE_TEST_EEI_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define EEI(name) __attribute__((import_module("ethereum"), import_name(#name)))

EEI(useGas) void eei_use_gas(u64 amount);
EEI(getCaller) void eei_get_caller(u8 *address);
EEI(getCallDataSize) u32 eei_call_data_size(void);
EEI(callDataCopy) void eei_call_data_copy(u8 *to, u32 offset, u32 length);
EEI(storageLoad) void eei_storage_load(const u8 *key, u8 *value);
EEI(storageStore) void eei_storage_store(const u8 *key, const u8 *value);
EEI(callStatic) u32 eei_call_static(u64 gas, const u8 *address, const u8 *data, u32 length);
EEI(returnDataCopy) void eei_return_data_copy(u8 *to, u32 offset, u32 length);
EEI(log) void eei_log(const u8 *data, u32 length, u32 topics, const u8 *t1, const u8 *t2,
                      const u8 *t3, const u8 *t4);
EEI(finish) void eei_finish(const u8 *data, u32 length) __attribute__((noreturn));
EEI(revert) void eei_revert(const u8 *data, u32 length) __attribute__((noreturn));

/* clang may call these for copies and zeroing. */
void *memcpy(void *dst, const void *src, unsigned long n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, unsigned long n) {
  u8 *d = dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

/* A 256-bit word, big-endian, as storage and the Solidity ABI hold numbers. */
typedef struct { u8 b[32]; } word;

static word word_of(u64 n) {
  word w = {{0}};
  for (int i = 31; i >= 24; i--, n >>= 8) w.b[i] = (u8)n;
  return w;
}

/* a < b */
static int word_lt(const word *a, const word *b) {
  for (int i = 0; i < 32; i++)
    if (a->b[i] != b->b[i]) return a->b[i] < b->b[i];
  return 0;
}

/* *a += *b, modulo 2^256 */
static void word_add(word *a, const word *b) {
  u32 carry = 0;
  for (int i = 31; i >= 0; i--) {
    u32 s = a->b[i] + b->b[i] + carry;
    a->b[i] = (u8)s;
    carry = s >> 8;
  }
}

/* *a -= *b, for *b <= *a */
static void word_sub(word *a, const word *b) {
  int borrow = 0;
  for (int i = 31; i >= 0; i--) {
    int d = a->b[i] - b->b[i] - borrow;
    borrow = d < 0;
    a->b[i] = (u8)(d + (borrow ? 256 : 0));
  }
}

#endif
