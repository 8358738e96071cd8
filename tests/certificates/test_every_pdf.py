"""Every PDF the app produces opens, shows its Chinese in the SC face, and is laid out as Chinese is (issue 13).

The certificate, the seal template (R-JOIN-8), the receipt (R-AUC-6), the practice record (R-AUC-3), the firm's
filing templates (R-FIL-1) and the power of attorney (R-ADM-3) all take app/cjk_pdf.py's path: one face parsed per
process, only the glyphs shown embedded as TrueType.
"""

import io
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app import cjk_pdf
from app.accounts.models import User
from app.auctioneers.records import practice_record_pdf
from app.certificates import services as certificates
from app.extensions import db
from app.members.models import Member
from app.organizations.societies import Society
from app.organizations.templates_pdf import TEMPLATES, power_of_attorney_pdf, template_pdf
from app.payments.receipt import receipt_pdf
from app.workflow import services
from tests.certificates.test_cjk_pdf import embedded_fonts, face_bounds
from tests.payments.paying import pay
from tests.processes.walk import open_task

RARE = "堃喆䶮"


@pytest.fixture(scope="module", autouse=True)
def _poppler():
    assert shutil.which("pdftoppm") and shutil.which("pdftotext"), "run scripts/test (it installs poppler-utils)"


def pdf_lines(content: bytes, tmp_path) -> list[str]:
    """The text as poppler reads it, line by line (what a person copying from the PDF gets)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [line for line in text.splitlines() if line.strip()]


def inked_rows(content: bytes, tmp_path) -> int:
    """Page 1 rendered at 50 dpi as a viewer would: how many pixel rows have something drawn on them."""
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path), str(tmp_path / "p")]
    )
    page = Image.open(tmp_path / "p.png").convert("L")
    pixels, width = page.tobytes(), page.width
    return sum(1 for y in range(page.height) if min(pixels[y * width : (y + 1) * width]) < 128)


def the_documents(app, world) -> dict[str, bytes]:
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.mobile == "13800000011"))
        member = db.session.scalar(select(Member).where(Member.user_id == user.id))
        auctioneer = world.auction_users["practicing"]
        instance = services.start_process("auctioneer_registration", auctioneer)
        data = {"sessions": 3, "main_item_type": "股权", "turnover_wan": 80, "consent_statement": []}
        data |= {"join_branch": True, "firm_id": world.auction["firm_bj"].id}
        services.submit_task(open_task(instance).id, auctioneer, data)
        order = pay(instance, auctioneer)
        documents = {
            "certificate": certificates.print_certificate(member, user),
            "seal_template": certificates.seal_template(member),
            "receipt": receipt_pdf(order),
            "practice_record": practice_record_pdf(auctioneer),
            "power_of_attorney": power_of_attorney_pdf(),
        }
    return documents | {name: template_pdf(name) for name in TEMPLATES}


EXPECTED = {
    "certificate": "中国资产评估协会",
    "seal_template": "资产评估师印鉴模板",
    "receipt": "中国拍卖行业协会 缴费回执",
    "practice_record": "拍卖师执业记录",
    "power_of_attorney": "机构管理员授权委托书",
    **{name: title for name, (title, _lines) in TEMPLATES.items()},
}


def test_every_pdf_opens_shows_its_chinese_and_embeds_the_sc_face_as_truetype(app, world, tmp_path):
    """The firm templates and the power of attorney used to load face 0 of the collection, Noto Sans CJK JP: the
    Japanese forms of the characters and Japanese punctuation, in a CFF font subset per download."""
    documents = the_documents(app, world)
    assert set(documents) == set(EXPECTED)
    for name, content in documents.items():
        reader = PdfReader(io.BytesIO(content))
        [font] = reader.pages[0]["/Resources"]["/Font"].values()
        cid_font = font.get_object()["/DescendantFonts"][0].get_object()
        assert cid_font["/BaseFont"].endswith("+NotoSansCJKSC"), (name, cid_font["/BaseFont"])
        assert cid_font["/Subtype"] == "/CIDFontType2", name  # TrueType outlines, not a CFF subset
        assert EXPECTED[name] in pdf_lines(content, tmp_path), name
        assert inked_rows(content, tmp_path) > 40, name  # page 1 renders, with text on it


def test_rare_characters_on_the_firm_documents_path(app, world, tmp_path):
    """A society named with 堃 喆 䶮 gets them in the power of attorney, each with its own outline (R-ADM-3)."""
    society = db.session.scalar(select(Society).where(Society.key == "cas"))
    society.name = f"{RARE}资产评估协会"
    db.session.commit()
    with app.test_request_context():
        content = power_of_attorney_pdf()
    assert f"{RARE}资产评估协会、____________（地方资产评估协会）：" in pdf_lines(content, tmp_path)
    [font] = embedded_fonts(content)
    cmap = font.getBestCmap()
    for char in RARE:
        glyph = font["glyf"][cmap[ord(char)]]
        assert glyph.numberOfContours > 0, char
        expected = face_bounds(char)
        assert all(
            abs(a - e) <= 2 for a, e in zip((glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax), expected, strict=True)
        )


def test_the_firm_documents_share_the_parsed_face(app, world):
    cjk_pdf.face.cache_clear()
    template_pdf.cache_clear()
    for name in TEMPLATES:
        template_pdf(name)
    with app.test_request_context():
        power_of_attorney_pdf()
    assert cjk_pdf.face.cache_info().misses == 1
    assert len(cjk_pdf.face().source.getGlyphOrder()) == 65535  # never handed to fpdf2's subsetter
    assert template_pdf("resume") is template_pdf("resume")  # the same for everyone: made once per process


def test_no_line_of_the_seal_template_starts_with_a_closing_mark(app, world, tmp_path):
    """R-JOIN-8's instructions used to wrap with "。" alone on a line (fpdf2 breaks Chinese anywhere)."""
    member = db.session.scalar(select(Member).join(User).where(User.mobile == "13800000011"))
    with app.test_request_context():
        lines = pdf_lines(certificates.seal_template(member), tmp_path)
    assert "上。" in "".join(lines)
    assert not [line for line in lines if line[0] in cjk_pdf.NO_LINE_START], lines


@pytest.mark.parametrize(
    "firm_name",
    [
        "北京中和资产评估有限公司上海浦东区（特殊普通合伙）",  # "（" was the last character of the first line
        "北京中和资产评估有限公司沪分所（合伙）",  # "）" began the second
    ],
)
def test_a_long_firm_name_on_the_certificate_wraps_as_chinese_does(app, demo_member, tmp_path, firm_name):
    """R-CER-1: 所在机构 takes two lines; neither breaks inside the brackets' rules."""
    member, user = demo_member("13800000011")
    member.firm.name = firm_name
    db.session.flush()
    with app.test_request_context():
        lines = pdf_lines(certificates.print_certificate(member, user), tmp_path)
    first = next(i for i, line in enumerate(lines) if line.startswith("北京中和资产评估有限公司"))
    assert lines[first] + lines[first + 1] == firm_name  # wrapped onto two lines, nothing lost
    assert lines[first][-1] not in cjk_pdf.NO_LINE_END and lines[first + 1][0] not in cjk_pdf.NO_LINE_START


def width_of(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in text)  # full-width 1, half-width 0.5


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("请持本模板刻章，式样同上。", 12, ["请持本模板刻章，式样同", "上。"]),  # "。" takes 上 with it
        ("一二三四五六七八九（十）", 10, ["一二三四五六七八九", "（十）"]),  # "（" does not end a line
        ("邮箱：payer@example.com", 10, ["邮箱：", "payer@example.com"]),  # a half-width run stays whole
        ("兹授权 ____ 姓名", 6, ["兹授权 ____", "姓名"]),  # a space at the break is dropped
        ("甲乙\n\n丙", 10, ["甲乙", "", "丙"]),
        ("x" * 30, 10, ["x" * 20, "x" * 10]),  # a run longer than the line is broken
    ],
)
def test_break_lines(text, width, lines):
    assert cjk_pdf.break_lines(text, width, width_of) == lines
