"""Every PDF of the app (certificate, seal template, receipt, practice record, firm templates): one CJK font path.

The face (Noto Sans CJK SC) is parsed once per process, embedded as a small TrueType font per document.

fpdf2 on its own parses the 65,535-glyph Noto Sans CJK face for each document (or copies a parsed one: its widths
and cmap are deep-copied) and, when writing, subsets the whole CFF font with fontTools: ~80 % of a certificate's
time. Here the face is parsed once per process and shared read-only by every document for layout (cmap, widths,
descriptor). When a document is written, the glyphs it used go into a TrueType font of their own, built from
outlines converted from the face's cubic CFF curves to quadratic ones (cu2qu, within MAX_ERR font units) the first
time a process meets a glyph, then kept. Every character of the face stays available (堃 喆 䶮 included); a
character new to the process costs one conversion of a few milliseconds.
"""

import copy
import functools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from app.config import CJK_FONT_FACE as CJK_FACE  # MEMBERFLOW_CJK_FONT_FACE
from app.config import CJK_FONT_PATH  # MEMBERFLOW_CJK_FONT

FONT = "notosanscjksc"
# 1 unit of the face's 1,000-unit em: 0.009 mm at the largest size used (26 pt), far below a printer's dot
MAX_ERR = 1.0
# taken over from the face as they are; hhea's extremes and head's bounding box are the whole face's, which bound
# any subset (the PDF's font descriptor states the same box)
COPIED_TABLES = ("head", "hhea", "OS/2", "name", "post")
# fontTools logs each subset's glyph list at INFO: some twenty lines per document
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Outline:
    data: bytes  # the compiled TrueType glyph
    points: int
    contours: int
    left: int  # the left side bearing, xMin


class CJKFace:
    """One face shared by the documents of a process: layout data from fpdf2, TrueType outlines made on demand."""

    def __init__(self, path: str, number: int) -> None:
        parser = FPDF()
        parser.add_font(FONT, fname=path, collection_font_number=number)
        layout = parser.fonts[FONT]
        assert isinstance(layout, TTFFont)
        self.layout = layout
        self.source = layout.ttfont  # the CFF font; never handed to fpdf2's subsetter
        self.glyphset = self.source.getGlyphSet()
        self.advances = {name: advance for name, (advance, _lsb) in self.source["hmtx"].metrics.items()}
        self.tables = {tag: self.source[tag] for tag in COPIED_TABLES}
        # grows with the characters a process has printed: a few thousand (~300 bytes each); the whole face ~20 MB
        self.outlines: dict[str, Outline] = {}
        self._lock = threading.Lock()  # the CFF table decompiles charstrings lazily, into shared caches

    def register(self, pdf: FPDF) -> TTFFont:
        """The face as a font of `pdf`, sharing the parsed data (fpdf2's add_font would read the file again)."""
        font = TTFFont.__new__(TTFFont)
        for slot in TTFFont.__slots__:
            if hasattr(self.layout, slot):
                setattr(font, slot, getattr(self.layout, slot))
        font.i = len(pdf.fonts) + 1
        font.desc = copy.copy(self.layout.desc)  # a PDF object: numbered by the document that writes it
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.is_cff, font.is_cid_keyed, font.cff_ros = False, False, None  # embedded as TrueType (CIDFontType2)
        font.subset = SubsetMap(font)
        pdf.fonts[FONT] = font
        return font

    def outline(self, name: str) -> Outline:
        known = self.outlines.get(name)
        if known is not None:
            return known
        with self._lock:
            pen = TTGlyphPen(None)
            self.glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
            glyph = pen.glyph()
            data = glyph.compile(None)
            left = glyph.xMin if glyph.numberOfContours > 0 else 0
            known = Outline(data, len(glyph.coordinates), max(glyph.numberOfContours, 0), left)
            self.outlines[name] = known
        return known

    def truetype(self, font: TTFFont) -> TTFont:
        """A TrueType font holding exactly the glyphs `font` used in its document (fpdf2 subsets it, cheaply)."""
        used: dict[str, tuple[int, ...]] = {}
        for glyph, _code in font.subset.items():
            if glyph is not None:
                used[glyph.glyph_name] = glyph.unicode if isinstance(glyph.unicode, tuple) else (glyph.unicode,)
        used.pop(".notdef", None)
        order = [".notdef", *sorted(used, key=self.source.getGlyphID)]
        outlines = {name: self.outline(name) for name in order}
        tt = TTFont(recalcBBoxes=False, recalcTimestamp=False)
        tt.setGlyphOrder(order)
        for tag in COPIED_TABLES:
            tt[tag] = copy.deepcopy(self.tables[tag])
        tt["head"].glyphDataFormat = 0
        tt["post"].formatType = 3.0
        glyf = tt["glyf"] = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {name: Glyph(outlines[name].data) for name in order}
        tt["loca"] = newTable("loca")
        hmtx = tt["hmtx"] = newTable("hmtx")
        hmtx.metrics = {name: (self.advances[name], outlines[name].left) for name in order}
        tt["maxp"] = _maxp(len(order), outlines.values())
        tt["cmap"] = _cmap({cp: name for name, cps in used.items() for cp in cps if cp})
        return tt


def _maxp(glyphs: int, outlines: Any) -> Any:
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = glyphs
    maxp.maxPoints = max((o.points for o in outlines), default=0)
    maxp.maxContours = max((o.contours for o in outlines), default=0)
    maxp.maxZones = 1
    for field in (
        "maxCompositePoints maxCompositeContours maxTwilightPoints maxStorage maxFunctionDefs maxInstructionDefs "
        "maxStackElements maxSizeOfInstructions maxComponentElements maxComponentDepth"
    ).split():
        setattr(maxp, field, 0)
    return maxp


def _cmap(mapping: dict[int, str]) -> Any:
    """Unicode to glyph, so the embedded font says which character each glyph is (PDF readers use ToUnicode)."""
    cmap = newTable("cmap")
    cmap.tableVersion = 0
    bmp = CmapSubtable.newSubtable(4)
    bmp.platformID, bmp.platEncID, bmp.language = 3, 1, 0
    bmp.cmap = {cp: name for cp, name in mapping.items() if cp <= 0xFFFF}
    cmap.tables = [bmp]
    if any(cp > 0xFFFF for cp in mapping):
        full = CmapSubtable.newSubtable(12)
        full.platformID, full.platEncID, full.language = 3, 10, 0
        full.cmap = dict(mapping)
        cmap.tables.append(full)
    return cmap


@functools.cache
def face() -> CJKFace:
    """Parsed once per process (~0.2 s): Debian's fonts-noto-cjk, face 2 "Noto Sans CJK SC" by default."""
    return CJKFace(str(CJK_FONT_PATH), CJK_FACE)


# Chinese line breaking (GB/T 15834 punctuation): a closing or pausing mark never starts a line, an opening mark never
# ends one. Half-width runs (numbers, order numbers, e-mail addresses, blanks "____") are kept whole when they fit.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
TOKENS = re.compile(r"[!-~]+| +|.")


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` broken into lines no wider than `width` as `measure` measures them, by the rules above."""
    lines = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        for token in TOKENS.findall(paragraph):
            for piece in [token] if measure(token) <= width else list(token):
                if not line or measure("".join(line) + piece) <= width:
                    line.append(piece)
                    continue
                if piece.isspace():  # a space at the break is dropped
                    lines.append("".join(line).rstrip())
                    line = []
                    continue
                carry = [piece]
                while len(line) > 1 and (carry[0][0] in NO_LINE_START or line[-1][-1] in NO_LINE_END):
                    carry.insert(0, line.pop())
                lines.append("".join(line).rstrip())
                line = carry
        lines.append("".join(line).rstrip())
    return lines


class CJKDocument(FPDF):
    """An fpdf2 document with the shared CJK face as font FONT; writing it embeds the glyphs used as TrueType."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cjk = face().register(self)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        self._cjk.ttfont = face().truetype(self._cjk)
        return super().output(*args, **kwargs)

    def paragraph(self, text: str, h: float, w: float = 0) -> None:
        """Left-aligned text from the current x, broken as Chinese is (fpdf2 justifies, and breaks only at spaces
        or else anywhere, so a line could start with "。"); leaves y below it and x where it began."""
        x = self.get_x()
        width = w or self.w - self.r_margin - x
        for line in break_lines(text, width - 2 * self.c_margin, self.get_string_width):
            self.set_x(x)
            self.cell(w=width, h=h, text=line, new_x="LEFT", new_y="NEXT")


def titled_document(title: str, author: str = "", *, title_size: float = 18, size: float = 12) -> CJKDocument:
    """An A4 document in FONT with its title centred on page 1, ready for the body at `size` pt."""
    pdf = CJKDocument()
    pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_font(FONT, size=title_size)
    pdf.add_page()
    pdf.cell(0, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(size)
    return pdf
