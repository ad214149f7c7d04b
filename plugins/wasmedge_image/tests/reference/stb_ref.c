/* Reference outputs for the wasmedge_image plug-in: what WasmEdge 0.17.1 computes, i.e.
 * stb_image (decode, 3 channels; stbi_loadf for the f32 types) followed by
 * stb_image_resize2's stbir_resize_{uint8,float}_linear (STBIR_RGB), then an R/B swap for BGR.
 * Built by gen.sh against stb at the commit WasmEdge 0.17.1 fetches; not part of any build.
 *
 * Usage: stb_ref IMAGE W H TYPE OUT   (TYPE: 0 RGB8, 1 BGR8, 2 RGB32F, 3 BGR32F)
 * Writes W*H*3 bytes (or floats, little-endian) to OUT; exits 1 when stb fails to decode. */
#define STB_IMAGE_IMPLEMENTATION
#include "stb_image.h"
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include "stb_image_resize2.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 6) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(n);
  if (fread(buf, 1, n, f) != (size_t)n) return 2;
  fclose(f);
  int w = atoi(argv[2]), h = atoi(argv[3]), type = atoi(argv[4]);
  int iw, ih, ic, u8 = type < 2;
  size_t count = (size_t)w * h * 3;
  void *out = malloc(count * (u8 ? 1 : 4));
  if (u8) {
    unsigned char *img = stbi_load_from_memory(buf, n, &iw, &ih, &ic, 3);
    if (!img) return 1;
    stbir_resize_uint8_linear(img, iw, ih, 0, out, w, h, 0, STBIR_RGB);
    if (type == 1)
      for (size_t i = 0; i < count; i += 3) {
        unsigned char t = ((unsigned char *)out)[i];
        ((unsigned char *)out)[i] = ((unsigned char *)out)[i + 2];
        ((unsigned char *)out)[i + 2] = t;
      }
  } else {
    float *img = stbi_loadf_from_memory(buf, n, &iw, &ih, &ic, 3);
    if (!img) return 1;
    stbir_resize_float_linear(img, iw, ih, 0, out, w, h, 0, STBIR_RGB);
    if (type == 3)
      for (size_t i = 0; i < count; i += 3) {
        float t = ((float *)out)[i];
        ((float *)out)[i] = ((float *)out)[i + 2];
        ((float *)out)[i + 2] = t;
      }
  }
  FILE *o = fopen(argv[5], "wb");
  fwrite(out, u8 ? 1 : 4, count, o);
  fclose(o);
  return 0;
}
