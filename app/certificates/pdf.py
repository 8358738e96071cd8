"""A4 PDFs with real (selectable) Chinese text: the electronic certificate and the seal template."""

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from app.cjk_pdf import FONT, CJKDocument

# Debian's fonts-noto-cjk, installed by scripts/_setup.sh; face 2 of the collection is "Noto Sans CJK SC". It covers
# CJK Extension A and more, so rare name characters (堃, 喆, 䶮) render. app/cjk_pdf.py parses it once per process.
RED = (180, 20, 30)
GOLD = (176, 141, 66)
INK = (30, 30, 30)


@dataclass(frozen=True)
class CertificateContent:
    title: str  # e.g. 正式执业会员证书
    name: str
    member_number: str
    kind_label: str
    firm_name: str
    association_name: str
    issue_date: str  # Asia/Shanghai calendar date
    serial: str
    photo: Path | None
    qr_png: bytes  # encodes the verification URL
    society_name: str  # the issuing association (app/organizations/societies.py)


def _new_document(title: str, author: str) -> CJKDocument:
    pdf = CJKDocument(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def _centered(pdf: FPDF, y: float, text: str, size: float, color: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*color)
    pdf.set_xy(0, y)
    pdf.cell(w=pdf.w, h=size * 0.5, text=text, align="C")


# The content fully determines the document (the photo path is content-addressed), so reprints of one certificate
# reuse it.
@functools.lru_cache(maxsize=64)
def render_certificate(content: CertificateContent) -> bytes:
    pdf = _new_document(content.title, content.society_name)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(2.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.5)
    pdf.rect(15, 15, pdf.w - 30, pdf.h - 30)
    _centered(pdf, 34, content.society_name, 26, RED)
    _centered(pdf, 52, content.title, 22)
    _centered(pdf, 66, "ELECTRONIC MEMBERSHIP CERTIFICATE", 9, GOLD)

    photo_x, photo_y, photo_w, photo_h = 30.0, 88.0, 35.0, 49.0
    if content.photo is not None:
        pdf.image(str(content.photo), x=photo_x, y=photo_y, w=photo_w, h=photo_h, keep_aspect_ratio=True)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)
    pdf.rect(photo_x, photo_y, photo_w, photo_h)

    rows = [
        ("姓名", content.name),
        ("会员编号", content.member_number),
        ("会员类别", content.kind_label),
        ("所在机构", content.firm_name),
        ("所属协会", content.association_name),
        ("发证日期", content.issue_date),
        ("证书编号", content.serial),
    ]
    y = 88.0
    for label, value in rows:
        pdf.set_xy(75, y)
        pdf.set_font(FONT, size=11)
        pdf.set_text_color(100, 100, 100)
        pdf.cell(w=24, h=8, text=label)
        pdf.set_font(FONT, size=13)
        pdf.set_text_color(*INK)
        pdf.paragraph(value or "—", h=8, w=pdf.w - 75 - 24 - 25)
        y = max(y + 11, pdf.get_y() + 3)

    _centered(pdf, 200, f"兹证明持证人为{content.society_name}会员。", 13)
    qr_size = 42.0
    qr_x, qr_y = (pdf.w - qr_size) / 2, 218.0
    pdf.image(Image.open(io.BytesIO(content.qr_png)), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    _centered(pdf, qr_y + qr_size + 3, "扫描二维码查验证书真伪及会员执业信息", 10, (90, 90, 90))
    return bytes(pdf.output())


def render_seal_template(name: str, member_number: str, society_name: str) -> bytes:
    """R-JOIN-8: the specimen a member takes to a seal maker after joining or a status change."""
    pdf = _new_document("印鉴模板", society_name)
    _centered(pdf, 28, "资产评估师印鉴模板", 22)
    cx, cy, radius = pdf.w / 2, 100.0, 40.0
    pdf.set_draw_color(*RED)
    pdf.set_line_width(2.0)
    pdf.circle(x=cx, y=cy, radius=radius)
    _centered(pdf, cy - 14, name, 26 if len(name) <= 3 else 20, RED)
    _centered(pdf, cy + 8, member_number, 12, RED)
    instructions = [
        "1．请持本模板到刻章单位刻制个人印鉴，印面内容为姓名与会员编号，式样同上。",
        "2．印章刻好后，请用红色印油在白纸上清晰盖印，拍照或扫描后在个人中心“核心信息变更—印鉴备案变更”中上传。",
        "3．上传的图片仅限 PNG、JPG、JPEG 格式，大小不超过 1MB。",
        "4．2024年4月30日后，头像、签字、印鉴三项备案齐全方可打印电子证书。",
    ]
    pdf.set_font(FONT, size=12)
    pdf.set_text_color(*INK)
    pdf.set_xy(28, 158)
    for line in instructions:
        pdf.set_x(28)
        pdf.paragraph(line, h=8, w=pdf.w - 56)
        pdf.ln(2)
    return bytes(pdf.output())
