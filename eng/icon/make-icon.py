"""Draws the package icon (src/icon.png, 128x128 RGBA): a funnel of four bands narrowing downwards, into a spout.
Plain Python (zlib, struct), so anyone can redraw it: python3 eng/icon/make-icon.py"""
import struct, zlib, pathlib

SIZE = 128
BANDS = [(0x2B, 0x6C, 0xB0), (0x3A, 0x8F, 0xD0), (0x4F, 0xB3, 0xE0), (0x2E, 0xA0, 0x6B)]  # entered .. won

def half_width(y):
    """Half the funnel's width at row y, or 0 outside it."""
    if 14 <= y < 86:
        return 58 - (y - 14) * (58 - 14) / 72  # the cone: 116 px wide at the top, 28 at the neck
    if 86 <= y < 116:
        return 14  # the spout
    return 0

rows = []
for y in range(SIZE):
    row = bytearray([0])  # filter: none
    for x in range(SIZE):
        w = half_width(y)
        inside = w and abs(x + 0.5 - SIZE / 2) <= w
        gap = y in (32, 50, 68, 86)  # thin transparent lines between the bands
        if inside and not gap:
            band = min((y - 14) // 18, 3) if y < 86 else 3
            row += bytes(BANDS[band]) + b"\xff"
        else:
            row += b"\x00\x00\x00\x00"
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = pathlib.Path(__file__).resolve().parents[2] / "src" / "icon.png"
out.write_bytes(png)
print(f"wrote {out} ({len(png)} bytes)")
