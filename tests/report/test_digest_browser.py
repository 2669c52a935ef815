"""Render the digest in a real browser (Debian's headless Chromium) and check the screenshot is a styled page."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from tests.watch.city import AS_OF, load_city

from vigil.report.digest import build_digest
from vigil.report.html import render_html
from vigil.watch.voices import link

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"),
]
ROWS = 360  # decoded from the top: masthead, figures and the silent-now box


def png_rows(path: Path, rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `rows` unfiltered rows of an 8-bit RGB or RGBA PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompressobj().decompress(idat, (width * bpp + 1) * rows)
    stride = width * bpp
    out: list[bytes] = []
    prev = bytearray(stride)
    for r in range(min(rows, height)):
        f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return width, height, [bytes(x) for x in out]


def test_digest_renders_in_headless_chromium(ws, tmp_path):
    load_city(ws)
    link(ws, ["lina_h", "telegram:lina_channel"])
    page = tmp_path / "digest.html"
    page.write_text(render_html(build_digest(ws, until=AS_OF, tz="+02:00", title="Harbourtown")), encoding="utf-8")
    png = tmp_path / "digest.png"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={png}",
        "--window-size=1200,2000",
        page.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert png.exists() and png.stat().st_size > 10_000, proc.stderr[-2000:]
    width, height, rows = png_rows(png, ROWS)
    assert (width, height) == (1200, 2000)
    bpp = len(rows[0]) // width
    pixels = {row[i : i + 3] for row in rows for i in range(0, len(row), bpp)}
    assert len(pixels) > 50, f"only {len(pixels)} distinct colours: a blank page?"
    assert bytes.fromhex("fffdf8") in pixels  # the page background: the stylesheet passed the CSP
    assert bytes.fromhex("fdecea") in pixels  # the silent-now box
    ink = sum(1 for row in rows for i in range(0, len(row), bpp) if sum(row[i : i + 3]) < 200)
    assert ink > 2000, "hardly any text drawn"
