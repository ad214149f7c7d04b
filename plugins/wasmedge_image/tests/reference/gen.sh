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
for img in photo.png photo.jpg progressive.jpg gray.png gray.jpg rgba.png rgb16.png; do
  for size in "50 60" "20 15" "100 30"; do
    set -- $size
    base="${img%.*}_${img##*.}_$1x$2"
    "$tmp/stb_ref" "../images/$img" "$1" "$2" 0 "$tmp/out"
    python3 - "$tmp/out" "$1" "$2" "$base.png" <<'PY'
import struct, sys, zlib
raw = open(sys.argv[1], "rb").read(); w, h = int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    c = t + d
    return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
rows = b"".join(b"\0" + raw[y * w * 3:(y + 1) * w * 3] for y in range(h))
open(sys.argv[4], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
PY
  done
done
for size in "20 15" "80 20"; do
  set -- $size
  "$tmp/stb_ref" ../images/photo.png "$1" "$2" 2 "photo_png_$1x$2.f32"
done
rm -r "$tmp"
