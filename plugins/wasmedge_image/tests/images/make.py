#!/usr/bin/env python3
"""Writes the test images: a 64x48 'photo' (gradients, a disc with sharp edges, a little
deterministic noise) as PNG (RGB 8-bit, grey, RGBA, RGB 16-bit) and, through cjpeg
(libjpeg-turbo-progs), as a 4:2:0 baseline JPEG, a progressive JPEG and a grey JPEG."""
import math, struct, subprocess, zlib

W, H = 64, 48

def photo():
    seed = 12345
    px = []
    for y in range(H):
        row = []
        for x in range(W):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            n = (seed >> 16) % 9 - 4
            r = 40 + 180 * x / (W - 1)
            g = 30 + 200 * y / (H - 1)
            b = 128 + 100 * math.sin(x / 5.0) * math.cos(y / 7.0)
            if (x - 40) ** 2 + (y - 20) ** 2 < 12 ** 2:
                r, g, b = 250, 240, 20
            if 8 <= x < 20 and 30 <= y < 42:
                r, g, b = 10, 10, 10
            row.append(tuple(max(0, min(255, int(v + n))) for v in (r, g, b)))
        px.append(row)
    return px

def png(path, color_type, depth, rows):
    def chunk(t, d):
        c = t + d
        return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + r for r in rows)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, depth, color_type, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

p = photo()
grey = [[(r * 299 + g * 587 + b * 114) // 1000 for r, g, b in row] for row in p]
png("photo.png", 2, 8, [bytes(c for px in row for c in px) for row in p])
png("gray.png", 0, 8, [bytes(row) for row in grey])
png("rgba.png", 6, 8, [bytes(c for px in row for c in px + ((x * 4) & 255,)) for row in p for x in [0]])
png("rgb16.png", 2, 16, [b"".join(struct.pack(">H", c * 257 + (y % 200)) for px in row for c in px) for y, row in enumerate(p)])
ppm = b"P6\n%d %d\n255\n" % (W, H) + b"".join(bytes(c for px in row for c in px) for row in p)
pgm = b"P5\n%d %d\n255\n" % (W, H) + b"".join(bytes(row) for row in grey)
for out, args, src in [("photo.jpg", ["-quality", "90"], ppm),
                       ("progressive.jpg", ["-quality", "85", "-progressive"], ppm),
                       ("gray.jpg", ["-quality", "90"], pgm)]:
    open(out, "wb").write(subprocess.run(["cjpeg", *args], input=src, capture_output=True, check=True).stdout)

# More JPEG layouts, each decoded exactly as stb_image does: chroma sampled 4:2:2, 4:4:0,
# 4:4:4 and 4:1:1 (upsampled horizontally, vertically, not at all, by nearest neighbour),
# RGB without YCbCr, a progressive grey image, and sides that are not whole blocks (61x45)
# with restart markers, baseline and progressive. Arithmetic coding, which stb_image does not
# read, must fail.
for out, args in [("photo_422.jpg", ["-sample", "2x1"]), ("photo_440.jpg", ["-sample", "1x2"]),
                  ("photo_444.jpg", ["-sample", "1x1"]), ("photo_411.jpg", ["-sample", "4x1"]),
                  ("photo_rgb.jpg", ["-rgb"]), ("arithmetic.jpg", ["-arithmetic"])]:
    open(out, "wb").write(subprocess.run(["cjpeg", "-quality", "90", *args], input=ppm, capture_output=True, check=True).stdout)
open("gray_progressive.jpg", "wb").write(subprocess.run(["cjpeg", "-quality", "80", "-progressive"], input=pgm, capture_output=True, check=True).stdout)
OW, OH = 61, 45
odd = b"P6\n%d %d\n255\n" % (OW, OH) + b"".join(bytes(c for px in row[:OW] for c in px) for row in p[:OH])
for out, args in [("odd.jpg", ["-restart", "3B"]), ("odd_progressive.jpg", ["-progressive", "-restart", "1"])]:
    open(out, "wb").write(subprocess.run(["cjpeg", "-quality", "75", *args], input=odd, capture_output=True, check=True).stdout)

# The photo in the other formats stb_image reads and this plug-in too: binary PPM, 24-bit BMP
# (bottom-up), uncompressed TGA (top-down).
open("photo.ppm", "wb").write(ppm)
bmp_rows = b"".join(bytes(c for px in row for c in (px[2], px[1], px[0])) for row in reversed(p))
open("photo.bmp", "wb").write(b"BM" + struct.pack("<IHHI", 54 + len(bmp_rows), 0, 0, 54)
    + struct.pack("<IiiHHIIiiII", 40, W, H, 1, 24, 0, len(bmp_rows), 2835, 2835, 0, 0) + bmp_rows)
tga_rows = b"".join(bytes(c for px in row for c in (px[2], px[1], px[0])) for row in p)
open("photo.tga", "wb").write(struct.pack("<BBBHHBHHHHBB", 0, 0, 2, 0, 0, 0, 0, 0, W, H, 24, 0x20) + tga_rows)

# Hostile images: a PNG declaring 1000000 x 1000000 pixels with a few bytes of data, a PNG of
# width 0, and a JPEG declaring 65500 x 65500 pixels cut off after its headers.
def header_png(path, w, h):
    def chunk(t, d):
        c = t + d
        return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

header_png("huge.png", 1000000, 1000000)
header_png("zero.png", 0, 16)
jpg = bytearray(open("photo.jpg", "rb").read())
sof = jpg.index(b"\xff\xc0")
jpg[sof + 5:sof + 9] = struct.pack(">HH", 65500, 65500)
open("huge.jpg", "wb").write(bytes(jpg[: jpg.index(b"\xff\xda") + 20]))

# A 3x2 image, to resize far up (edge weights folded on both sides at once).
W, H = 3, 2
png("tiny.png", 2, 8, [bytes([255, 0, 0, 0, 255, 0, 0, 0, 255]), bytes([255, 255, 255, 0, 0, 0, 128, 64, 32])])
