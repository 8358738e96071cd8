"""PDF attachments as page images, so the viewer shows them inline under the pages' CSP (no plugin, no frame)."""

import io
from pathlib import Path

import pypdfium2

from app.errors import NotFound

MAX_PAGES = 50  # a viewer of application papers, not a book reader
SCALE = 1.5  # 108 dpi: readable scans and small print, a few hundred KB a page


def page_count(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return min(len(pdf), MAX_PAGES)
    finally:
        pdf.close()


def render_page(path: Path, number: int) -> bytes:
    """Page `number` (1-based) as PNG; past the last page (or MAX_PAGES) is 'not found'."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        if not 1 <= number <= min(len(pdf), MAX_PAGES):
            raise NotFound("页面不存在")
        image = pdf[number - 1].render(scale=SCALE).to_pil()
        buf = io.BytesIO()
        image.save(buf, "PNG")
        return buf.getvalue()
    finally:
        pdf.close()
