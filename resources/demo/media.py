"""The demo's files, made in code: images (Pillow), short MJPEG videos (AVI) and text PDFs.

A ``MediaSpec`` names one file; the same spec always gives the same bytes (with the same Pillow
build). The universe of specs is small and independent of the seed (8 campaigns x 4 crops x
``IMAGE_TAKES`` takes, plus a video per campaign and crop orientation and a few documents per
campaign), so at any workspace size the demo holds at most ``MAX_MEDIA`` distinct files and many
assets share one sha256. Files are rendered on first use; their metadata is kept for the life
of the process and their bytes in a bounded LRU (``MediaCache``).
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from PIL import Image, ImageDraw, ImageFont

from resources.demo.content import BRAND_BY_CODE, CAMPAIGNS, CampaignInfo

MediaKind = Literal["image", "video", "document"]

# Crop name -> pixel size of the rendered image (long side 1080-1600 px).
CROPS: Final[dict[str, tuple[int, int]]] = {
    "square": (1080, 1080),
    "portrait": (1080, 1350),
    "story": (900, 1600),
    "landscape": (1600, 900),
}
VIDEO_SIZES: Final[dict[str, tuple[int, int]]] = {"landscape": (640, 360), "vertical": (360, 640)}
VIDEO_FPS: Final = 4
VIDEO_SECONDS: Final = 6
DOCUMENT_TYPES: Final = ("brief", "key-messages", "legal-guidelines")
IMAGE_TAKES: Final = 7  # distinct images per campaign and crop; take 6 is a flat PNG graphic
PNG_TAKE: Final = IMAGE_TAKES - 1
MAX_MEDIA: Final = len(CAMPAIGNS) * (
    len(CROPS) * IMAGE_TAKES + len(VIDEO_SIZES) + len(DOCUMENT_TYPES)
)

MIME: Final[dict[str, str]] = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "avi": "video/x-msvideo",
    "pdf": "application/pdf",
}


@dataclass(frozen=True, slots=True)
class MediaSpec:
    """One demo file: ``style`` is a crop (images), an orientation (videos) or a document type."""

    kind: MediaKind
    campaign: int
    style: str
    take: int = 0

    @property
    def file_format(self) -> str:
        if self.kind == "video":
            return "avi"
        if self.kind == "document":
            return "pdf"
        return "png" if self.take == PNG_TAKE else "jpeg"

    @property
    def mime(self) -> str:
        return MIME[self.file_format]


@dataclass(frozen=True, slots=True)
class MediaInfo:
    sha256: str
    size: int
    mime: str
    width: int | None
    height: int | None


def render(spec: MediaSpec) -> tuple[bytes, int | None, int | None]:
    """The bytes of ``spec`` and their pixel size (None for documents)."""
    campaign = CAMPAIGNS[spec.campaign]
    if spec.kind == "image":
        width, height = CROPS[spec.style]
        return _render_image(campaign, spec, width, height), width, height
    if spec.kind == "video":
        width, height = VIDEO_SIZES[spec.style]
        return _render_video(campaign, width, height), width, height
    return _render_document(campaign, spec.style), None, None


class MediaCache:
    """Metadata of every rendered spec, and the bytes of the most recent ones within a budget.

    Thread-safe: the reference server may serve blobs from several threads.
    """

    def __init__(self, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._info: dict[MediaSpec, MediaInfo] = {}
        self._bytes: OrderedDict[MediaSpec, bytes] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def info(self, spec: MediaSpec) -> MediaInfo:
        found = self._info.get(spec)
        if found is not None:
            return found
        self._render(spec)
        return self._info[spec]

    def prefetch(self, specs: Iterable[MediaSpec]) -> None:
        """Render the specs not rendered yet, on a few threads (Pillow releases the GIL)."""
        missing = [spec for spec in dict.fromkeys(specs) if spec not in self._info]
        workers = min(4, os.cpu_count() or 1)
        if len(missing) < 8 or workers < 2:
            for spec in missing:
                self._render(spec)
            return
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-media") as pool:
            for _ in pool.map(self._render, missing):
                pass

    def data(self, spec: MediaSpec) -> bytes:
        with self._lock:
            cached = self._bytes.get(spec)
            if cached is not None:
                self._bytes.move_to_end(spec)
                return cached
        return self._render(spec)

    def _render(self, spec: MediaSpec) -> bytes:
        data, width, height = render(spec)
        info = MediaInfo(hashlib.sha256(data).hexdigest(), len(data), spec.mime, width, height)
        with self._lock:
            known = self._info.setdefault(spec, info)
            if known != info:
                # The blobs' hashes are already out in records: different bytes now is a bug.
                raise RuntimeError(f"demo media {spec} rendered differently twice")
            if spec not in self._bytes:
                self._bytes[spec] = data
                self._held += len(data)
            while self._held > self._max_bytes and len(self._bytes) > 1:
                _, dropped = self._bytes.popitem(last=False)
                self._held -= len(dropped)
        return data


# One per process: specs do not depend on the seed, so every workspace shares the renders.
MEDIA_CACHE: Final = MediaCache()


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: the same glyphs on every machine, no system fonts needed.
    return ImageFont.load_default(size=size)


def _gradient(
    size: tuple[int, int], start: tuple[int, int, int], end: tuple[int, int, int], vertical: bool
) -> Image.Image:
    # One line of the gradient, coloured through a lookup table, stretched: ~2 ms per image.
    width, height = size
    line = Image.linear_gradient("L").resize((1, height if vertical else width))
    table = [value for band in range(3) for value in _ramp(start[band], end[band])]
    line = line.convert("RGB").point(table)
    if not vertical:
        line = line.transpose(Image.Transpose.ROTATE_90)
    return line.resize(size, Image.Resampling.NEAREST)


def _ramp(start: int, end: int) -> list[int]:
    return [round(start + (end - start) * i / 255) for i in range(256)]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _render_image(campaign: CampaignInfo, spec: MediaSpec, width: int, height: int) -> bytes:
    dark, accent = campaign.colors
    light = _mix(accent, (255, 255, 255), 0.55)
    brand = BRAND_BY_CODE[campaign.brand]
    unit = min(width, height)
    if spec.file_format == "png":
        # A flat graphic card (quote or offer tile): flat colours keep PNG small and fast.
        image = Image.new("RGB", (width, height), dark)
        draw = ImageDraw.Draw(image)
        band = height // 3
        draw.rectangle((0, height - band, width, height), fill=accent)
        draw.ellipse(
            (width - unit // 2, -unit // 6, width + unit // 5, unit // 2),
            fill=light,
        )
    else:
        vertical = spec.take % 2 == 0
        image = _gradient((width, height), dark, accent, vertical)
        draw = ImageDraw.Draw(image)
        # A simple scene per brand: ridges for the outdoor brand, bubbles for the drinks brand.
        if brand.code == "acme":
            base = height * (0.62 + 0.04 * (spec.take % 3))
            peaks: list[tuple[float, float]] = [(0, height), (0, base)]
            steps = 5 + spec.take
            for i in range(1, steps + 1):
                x = width * i / steps
                rise = unit * (0.12 + 0.1 * ((i * (spec.take + 3)) % 4) / 3)
                peaks.append((x, base - rise if i % 2 else base - rise / 3))
            peaks.append((width, height))
            draw.polygon(peaks, fill=_mix(dark, (0, 0, 0), 0.35))
        else:
            for i in range(9 + spec.take):
                r = unit * (0.03 + 0.02 * ((i * 7 + spec.take) % 5))
                cx = width * (((i * 37 + spec.take * 11) % 97) / 97)
                cy = height * (0.25 + 0.7 * (((i * 53 + spec.take * 5) % 89) / 89))
                draw.ellipse(
                    (cx - r, cy - r, cx + r, cy + r), outline=light, width=max(3, unit // 180)
                )
    margin = unit // 14
    draw.text((margin, margin), brand.name.upper(), font=_font(unit // 22), fill=(255, 255, 255))
    size = unit // 9
    while size > 12 and _font(size).getlength(campaign.name) > width - 2 * margin:
        size -= 4
    draw.text(
        (margin, height // 2 - unit // 10), campaign.name, font=_font(size), fill=(255, 255, 255)
    )
    draw.text(
        (margin, height // 2 + unit // 20),
        f"{spec.style} · take {spec.take + 1}",
        font=_font(unit // 24),
        fill=light,
    )
    draw.text(
        (margin, height - margin - unit // 30),
        f"{campaign.hashtag}  {width}x{height}",
        font=_font(unit // 30),
        fill=(255, 255, 255),
    )
    out = io.BytesIO()
    if spec.file_format == "png":
        image.save(out, format="PNG", compress_level=1)
    else:
        image.save(out, format="JPEG", quality=85, subsampling=2)
    return out.getvalue()


def _render_video(campaign: CampaignInfo, width: int, height: int) -> bytes:
    dark, accent = campaign.colors
    frames: list[bytes] = []
    count = VIDEO_FPS * VIDEO_SECONDS
    unit = min(width, height)
    for index in range(count):
        phase = index / (count - 1)
        image = _gradient((width, height), _mix(dark, accent, phase / 2), accent, True)
        draw = ImageDraw.Draw(image)
        draw.text((unit // 12, unit // 12), campaign.name, font=_font(unit // 9), fill="white")
        draw.rectangle(
            (0, height - unit // 40, round(width * (index + 1) / count), height), fill="white"
        )
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80, subsampling=2)
        frames.append(out.getvalue())
    return mjpeg_avi(frames, width=width, height=height, fps=VIDEO_FPS)


def mjpeg_avi(frames: list[bytes], *, width: int, height: int, fps: int) -> bytes:
    """A Motion-JPEG AVI (RIFF) of ``frames`` (JPEG bytes), with an ``idx1`` index."""

    def chunk(fourcc: bytes, payload: bytes) -> bytes:
        pad = b"\0" if len(payload) % 2 else b""
        return fourcc + struct.pack("<I", len(payload)) + payload + pad

    def riff_list(kind: bytes, fourcc: bytes, payload: bytes) -> bytes:
        return kind + struct.pack("<I", len(payload) + 4) + fourcc + payload

    biggest = max(len(f) for f in frames)
    avih = struct.pack(
        "<10I16x",
        1_000_000 // fps,  # microseconds per frame
        biggest * fps,  # max bytes per second
        0,  # padding granularity
        0x10,  # AVIF_HASINDEX
        len(frames),
        0,  # initial frames
        1,  # streams
        biggest,  # suggested buffer size
        width,
        height,
    )
    strh = struct.pack(
        "<4s4sIHHIIIIIIII4h",
        b"vids",
        b"MJPG",
        0,  # flags
        0,  # priority
        0,  # language
        0,  # initial frames
        1,  # scale
        fps,  # rate: fps frames per second
        0,  # start
        len(frames),  # length in frames
        biggest,
        0xFFFFFFFF,  # quality: default
        0,  # sample size: varies
        0,
        0,
        width,
        height,
    )
    strf = struct.pack(
        "<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3, 0, 0, 0, 0
    )
    header = riff_list(
        b"LIST",
        b"hdrl",
        chunk(b"avih", avih)
        + riff_list(b"LIST", b"strl", chunk(b"strh", strh) + chunk(b"strf", strf)),
    )
    movi_payload = bytearray()
    index = bytearray()
    for frame in frames:
        # idx1 offsets count from the 'movi' fourcc.
        offset = 4 + len(movi_payload)
        index += struct.pack("<4sIII", b"00dc", 0x10, offset, len(frame))  # AVIIF_KEYFRAME
        movi_payload += chunk(b"00dc", frame)
    movi = riff_list(b"LIST", b"movi", bytes(movi_payload))
    body = b"AVI " + header + movi + chunk(b"idx1", bytes(index))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _render_document(campaign: CampaignInfo, doc_type: str) -> bytes:
    brand = BRAND_BY_CODE[campaign.brand]
    title = {
        "brief": "Campaign brief",
        "key-messages": "Key messages",
        "legal-guidelines": "Legal and claims guidelines",
    }[doc_type]
    lines: list[tuple[int, str]] = [
        (20, f"{brand.name} - {campaign.name}"),
        (14, title),
        (11, ""),
        (11, f"Objective: {campaign.objective}. Primary KPI: {campaign.primary_kpi}."),
        (11, f"Hashtag: {campaign.hashtag}"),
        (11, ""),
    ]
    if doc_type == "legal-guidelines":
        lines += [
            (11, "1. Paid posts carry the market's legal note (e.g. #ad, Anzeige, Publicite)."),
            (11, "2. Never promise results; avoid absolute claims in every language."),
            (11, "3. Check rights territories and expiry before boosting any asset."),
            (11, "4. Embargoed creative stays private until the embargo lifts."),
        ]
    else:
        lines += [(11, f"- {message}") for message in campaign.top_messages]
        lines += [
            (11, ""),
            (11, "Markets adapt caption, hook and CTA; keep the key visual and the claim."),
        ]
    return text_pdf(lines, title=f"{campaign.name}: {title}")


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(lines: list[tuple[int, str]], *, title: str) -> bytes:
    """A one-page A4 PDF of ``lines`` (font size, text) in Helvetica; no dates, so deterministic."""
    stream = bytearray(b"BT\n72 770 Td\n")
    for size, text in lines:
        stream += b"/F1 %d Tf\n" % size + _pdf_text(text) + b" Tj\n0 -%d Td\n" % (size + 8)
    stream += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + bytes(stream) + b"endstream",
        b"<< /Title " + _pdf_text(title) + b" /Producer (Section Desk demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)
