"""The blank templates the firm-filing notice offers for download (R-FIL-1), as simple fill-in PDFs."""

from fpdf import FPDF

from app.accounts.firm_admin import CJK_FONT

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


def template_pdf(name: str) -> bytes:
    title, lines = TEMPLATES[name]
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.set_font_size(18)
    pdf.cell(0, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(12)
    for line in lines:
        pdf.cell(0, 12, f"{line}：" + "_" * 40 if line else "_" * 60, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
