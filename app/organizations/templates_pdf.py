"""The firm's documents: the blank filing templates (R-FIL-1) and the firm admin's power of attorney (R-ADM-3).

They take the PDF path of every document (app/cjk_pdf.py: the face parsed once per process, only the glyphs shown
embedded). A template is the same for everyone, so each is made once per process.
"""

import functools

from app.cjk_pdf import CJKDocument, titled_document
from app.organizations.societies import society_of_process

LINE_HEIGHT = 12.0

# name -> (title, lines to fill in); the power of attorney is the firm admin's (/firm-admin/power-of-attorney.pdf)
TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "filing_form": (
        "资产评估机构备案表",
        (
            "机构名称",
            "统一社会信用代码",
            "组织形式（公司制 / 合伙制）",
            "办公地址",
            "法定代表人（执行事务合伙人）",
            "注册资本（出资额，万元）",
            "营业执照签发日期",
            "资产评估师人数",
            "股东（合伙人）人数",
            "联系人及电话",
            "机构（盖章）",
            "法定代表人（签字）",
            "日期",
        ),
    ),
    "legal_shareholder": (
        "资产评估机构法人合伙人（股东）信息表",
        (
            "法人名称",
            "统一社会信用代码",
            "法定代表人",
            "住所",
            "联系方式",
            "认缴出资额（万元）",
            "出资日期",
            "出资比例",
            "法人（盖章）",
            "日期",
        ),
    ),
    "resume": (
        "股东（合伙人）简历",
        (
            "姓名",
            "身份证号",
            "学历",
            "专业资格及证书编号",
            "工作经历（起止年月、单位、职务）",
            "",
            "",
            "本人（签字）",
            "日期",
        ),
    ),
    "transfer_form": (
        "资产评估师转所表",
        (
            "姓名",
            "身份证号",
            "会员编号",
            "转出（协会代管）单位",
            "转入机构",
            "转出方意见（盖章）",
            "转入机构意见（盖章）",
            "地方协会意见（盖章）",
            "日期",
        ),
    ),
}


@functools.cache
def template_pdf(name: str) -> bytes:
    title, lines = TEMPLATES[name]
    pdf = titled_document(title)
    for line in lines:
        _blank(pdf, f"{line}：" if line else "")
    return bytes(pdf.output())


def _blank(pdf: CJKDocument, label: str) -> None:
    """A label and a rule to the right margin to write on (a line of "____" ended wherever its label did)."""
    if label:
        pdf.cell(h=LINE_HEIGHT, text=label)
    y = pdf.get_y() + LINE_HEIGHT * 0.72
    pdf.line(pdf.get_x() + 1, y, pdf.w - pdf.r_margin, y)
    pdf.ln(LINE_HEIGHT)


def power_of_attorney_pdf() -> bytes:
    """R-ADM-3: the 《机构管理员授权委托书》 template the firm fills in, stamps and signs, addressed to the
    association the firm_admin process declares."""
    society = society_of_process("firm_admin")
    return _power_of_attorney(society.name if society else "____________")


@functools.lru_cache(maxsize=16)
def _power_of_attorney(society_name: str) -> bytes:
    pdf = titled_document("机构管理员授权委托书", society_name, title_size=20)
    body = (
        f"{society_name}、____________（地方资产评估协会）：\n\n"
        "兹授权 ____________（姓名），身份证号码 ______________________，手机号码 ______________，"
        f"作为本机构在{society_name}会员业务办理平台的机构管理员，代表本机构办理机构端相关业务，"
        "包括创建工作人员账号并分配权限。本机构原有机构管理员（如有）自审批通过之日起不再担任。\n\n"
        "本机构对被授权人在平台上的操作承担责任。\n\n"
        "机构名称（盖章）：______________________________\n\n"
        "统一社会信用代码：______________________________\n\n"
        "法定代表人（签字）：____________\n\n"
        "日期：______ 年 ____ 月 ____ 日"
    )
    pdf.paragraph(body, 8)
    return bytes(pdf.output())
