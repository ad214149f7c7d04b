#!/bin/sh
# Regenerates tests/reference/*: what WasmEdge 0.17.1's image functions give for the test images,
# computed by stb_ref.c built against stb at the commit WasmEdge fetches (2dfbe86b). Needs a
# checkout of https://github.com/nothings/stb at that commit in $STB, and python3.
# u8 results are stored as PNG (lossless), f32 results as raw little-endian floats.
set -e
cd "$(dirname "$0")"
: "${STB:?set STB to a checkout of nothings/stb at 2dfbe86bef853be33cbbda07abcb4db58c7f817d}"
tmp=$(mktemp -d)
cc -O2 -I"$STB" -o "$tmp/stb_ref" stb_ref.c -lm

# ref_png IMAGE W H: stb's RGB8 tensor for IMAGE at W x H, as IMAGE-with-_-for-._WxH.png.
ref_png() {
  "$tmp/stb_ref" "../images/$1" "$2" "$3" 0 "$tmp/out"
  python3 - "$tmp/out" "$2" "$3" "${1%.*}_${1##*.}_$2x$3.png" <<'PY'
import struct, sys, zlib
raw = open(sys.argv[1], "rb").read(); w, h = int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    c = t + d
    return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
rows = b"".join(b"\0" + raw[y * w * 3:(y + 1) * w * 3] for y in range(h))
open(sys.argv[4], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
PY
}

for img in photo.png photo.jpg progressive.jpg gray.png gray.jpg rgba.png rgb16.png; do
  ref_png "$img" 50 60
  ref_png "$img" 20 15
  ref_png "$img" 100 30
done
# More JPEG layouts (see ../images/make.py), each at its own size (a copy: stb's decoded
# pixels themselves) and resized. arithmetic.jpg is left out: stb_image does not read it.
for img in photo_422.jpg photo_440.jpg photo_444.jpg photo_411.jpg photo_rgb.jpg \
           gray_progressive.jpg; do
  ref_png "$img" 64 48
  ref_png "$img" 50 60
done
for img in odd.jpg odd_progressive.jpg; do
  ref_png "$img" 61 45
  ref_png "$img" 50 60
done
ref_png photo.jpg 64 48
ref_png progressive.jpg 64 48
ref_png gray.jpg 64 48
for img in photo.ppm photo.bmp photo.tga; do
  ref_png "$img" 50 60
  ref_png "$img" 20 15
done
# Edge cases of the filters: to one pixel, by one pixel, one axis each way, far up from 3x2.
ref_png photo.png 1 1
ref_png photo.png 63 47
ref_png photo.png 65 49
ref_png photo.png 7 300
ref_png tiny.png 7 5
ref_png tiny.png 1 1
ref_png tiny.png 200 3
"$tmp/stb_ref" ../images/photo.png 20 15 2 photo_png_20x15.f32
"$tmp/stb_ref" ../images/photo.png 80 20 2 photo_png_80x20.f32
"$tmp/stb_ref" ../images/progressive.jpg 20 15 2 progressive_jpg_20x15.f32
rm -r "$tmp"
