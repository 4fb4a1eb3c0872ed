"""A ddpo4j `command` reward in Python, standard library only: mean brightness of each image.
Run with: ddpo4j score --reward "command:cmd=python3 docs/reward_server_example.py" --images a.png
Protocol (docs/rewards.md): one JSON request per stdin line, one JSON answer per stdout line."""
import base64, json, struct, sys, zlib

def png_rgb(data):  # the 8-bit RGB, non-interlaced PNGs ddpo4j sends; with Pillow: Image.open(io.BytesIO(data))
    pos, idat = 8, b""
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR": width, height = struct.unpack(">II", data[pos + 8:pos + 16])
        if kind == b"IDAT": idat += data[pos + 8:pos + 8 + size]
        pos += 12 + size
    raw, stride, prev, rows = zlib.decompress(idat), 3 * width, bytearray(3 * width), []
    for y in range(height):  # undo each row's PNG filter (none, sub, up, average, paeth)
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a, b, c = row[i - 3] if i >= 3 else 0, prev[i], prev[i - 3] if i >= 3 else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            paeth = a if pa <= pb and pa <= pc else b if pb <= pc else c
            row[i] = (row[i] + (0, a, b, (a + b) // 2, paeth)[kind]) & 255
        rows.append(row); prev = row
    return rows

for line in sys.stdin:
    request = json.loads(line)
    scores = [sum(map(sum, rows)) / (255 * len(rows) * len(rows[0]))
              for rows in (png_rgb(base64.b64decode(image)) for image in request["images"])]
    print("scored %d images" % len(scores), file=sys.stderr)  # stderr goes to ddpo4j's log
    print(json.dumps({"scores": scores, "info": [{"prompt": p} for p in request["prompts"]]}), flush=True)
