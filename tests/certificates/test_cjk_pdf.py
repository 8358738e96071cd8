"""The certificate's CJK font (issue 13, item 5): the glyphs a PDF shows are embedded, as the face draws them."""

import io

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from app import cjk_pdf
from app.certificates import services
from app.extensions import db

RARE = "堃喆䶮"  # 堃 and 喆 are outside GB2312, 䶮 (U+4DAE) is CJK Extension A, outside GBK too


def embedded_fonts(content: bytes) -> list[TTFont]:
    """Every TrueType font program embedded in the PDF, opened with fontTools."""
    fonts = []
    for ref in PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"].values():
        cid_font = ref.get_object()["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"].get_object()
        fonts.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    return fonts


def face_bounds(char: str) -> tuple[float, ...]:
    face = cjk_pdf.face()
    pen = BoundsPen(face.glyphset)
    face.glyphset[face.layout.cmap[ord(char)]].draw(pen)
    return pen.bounds


def test_rare_characters_are_embedded_with_their_own_outlines(app, demo_member, pdf_text):
    member, user = demo_member("13800000013")
    user.name = "李" + RARE
    db.session.flush()
    with app.test_request_context():
        content = services.print_certificate(member, user)
    assert "李" + RARE in pdf_text(content)
    [font] = embedded_fonts(content)
    cmap = font.getBestCmap()
    for char in RARE:
        glyph = font["glyf"][cmap[ord(char)]]
        assert glyph.numberOfContours > 0, char  # an outline, not the empty .notdef box
        # the same shape as the face's own glyph: quadratic within a font unit or two of the cubic original
        expected = face_bounds(char)
        actual = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        assert all(abs(a - e) <= 2 for a, e in zip(actual, expected, strict=True)), (char, actual, expected)
    assert len(font.getGlyphOrder()) < 120  # only what the page shows, not the 65,535 glyphs of the face


def test_documents_share_the_parsed_face_and_never_subset_it(app, demo_member):
    cjk_pdf.face.cache_clear()
    with app.test_request_context():
        for mobile in ("13800000011", "13800000015"):
            member, user = demo_member(mobile)
            services.print_certificate(member, user)
    assert cjk_pdf.face.cache_info().misses == 1 and cjk_pdf.face.cache_info().hits >= 1
    # fpdf2 subsets the font it is given in place: had it been given the face, the face would have lost its glyphs
    assert len(cjk_pdf.face().source.getGlyphOrder()) == 65535
