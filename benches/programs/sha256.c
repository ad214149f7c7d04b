/* SHA-256 over a buffer: a 32-bit integer, rotate and load/store benchmark.
 *
 * run(n) fills a BUF_LEN-byte buffer from a 32-bit LCG, then hashes it n
 * times; after each hash the digest is written over the first 32 bytes of
 * the buffer, so every round depends on the one before. The checksum is the
 * first word of the last digest. The implementation follows FIPS 180-4. */

typedef int result_t;
#define DEFAULT_ARG 200
#define SMALL_ARG 20

#define BUF_LEN 16384

static unsigned char buf[BUF_LEN];

static const unsigned k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static unsigned rotr(unsigned x, int n) {
    return (x >> n) | (x << (32 - n));
}

static void compress(unsigned state[8], const unsigned char *block) {
    unsigned w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (unsigned)block[4 * i] << 24 | (unsigned)block[4 * i + 1] << 16 |
               (unsigned)block[4 * i + 2] << 8 | (unsigned)block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        unsigned s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        unsigned s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    unsigned a = state[0], b = state[1], c = state[2], d = state[3];
    unsigned e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        unsigned s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        unsigned ch = (e & f) ^ (~e & g);
        unsigned t1 = h + s1 + ch + k[i] + w[i];
        unsigned s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        unsigned maj = (a & b) ^ (a & c) ^ (b & c);
        unsigned t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

/* Hashes data[0..len) into digest; len must be a multiple of 64. */
static void sha256(const unsigned char *data, unsigned len, unsigned digest[8]) {
    static const unsigned init[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    for (int i = 0; i < 8; i++)
        digest[i] = init[i];
    for (unsigned off = 0; off < len; off += 64)
        compress(digest, data + off);
    /* Final block: the 0x80 marker, zeros, then the bit length big-endian. */
    unsigned char last[64];
    for (int i = 0; i < 64; i++)
        last[i] = 0;
    last[0] = 0x80;
    unsigned long long bits = (unsigned long long)len * 8;
    for (int i = 0; i < 8; i++)
        last[63 - i] = (unsigned char)(bits >> (8 * i));
    compress(digest, last);
}

result_t run(int n) {
    unsigned seed = 42u;
    for (int i = 0; i < BUF_LEN; i++) {
        seed = seed * 1664525u + 1013904223u;
        buf[i] = (unsigned char)(seed >> 24);
    }
    unsigned digest[8] = {0};
    for (int round = 0; round < n; round++) {
        sha256(buf, BUF_LEN, digest);
        for (int i = 0; i < 8; i++) {
            buf[4 * i] = (unsigned char)(digest[i] >> 24);
            buf[4 * i + 1] = (unsigned char)(digest[i] >> 16);
            buf[4 * i + 2] = (unsigned char)(digest[i] >> 8);
            buf[4 * i + 3] = (unsigned char)digest[i];
        }
    }
    return (result_t)digest[0];
}
