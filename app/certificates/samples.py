"""Generated images: the sample photo shown when no exam photo exists (R-CER-7), and the demo members' filings."""

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from app.config import CJK_FONT_FACE as CJK_FACE  # MEMBERFLOW_CJK_FONT_FACE
from app.config import CJK_FONT_PATH  # MEMBERFLOW_CJK_FONT

SEAL_RED = (200, 16, 32)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_FONT_PATH), size, index=CJK_FACE)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()


@functools.cache
def sample_photo_png(shade: int = 0) -> bytes:
    """A passport-style placeholder: a grey head and shoulders on a light blue ground (295×413, 1 inch at 300 dpi)."""
    image = Image.new("RGB", (295, 413), (214, 230, 245))
    draw = ImageDraw.Draw(image)
    grey = (120 + shade % 60, 128 + shade % 50, 140)
    draw.ellipse((92, 70, 203, 200), fill=grey)
    draw.rounded_rectangle((40, 230, 255, 470), radius=90, fill=grey)
    return _png(image)


@functools.cache
def signature_png(name: str) -> bytes:
    """Black pen on white paper (R-INFO-1)."""
    image = Image.new("RGB", (420, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.text((210, 80), name, fill="black", font=_font(88), anchor="mm")
    draw.line((60, 132, 360, 124), fill="black", width=3)
    return _png(image)


@functools.cache
def seal_png(name: str) -> bytes:
    """Red ink on white paper (R-INFO-1): a ring with the name across it."""
    image = Image.new("RGB", (320, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, 308, 308), outline=SEAL_RED, width=12)
    size = 96 if len(name) <= 3 else 72
    draw.text((160, 160), name, fill=SEAL_RED, font=_font(size), anchor="mm")
    return _png(image)
