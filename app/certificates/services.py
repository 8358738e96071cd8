"""Printing a member's electronic certificate: the print rules, issuing, the PDF, the print log, verification."""

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from app import clock
from app.accounts.models import User
from app.certificates import pdf, qr
from app.certificates.models import Certificate, PrintRecord
from app.dbwrite import insert_unless_present
from app.decisions.log import recording
from app.engine.specs import catalog
from app.errors import Conflict, NotEligible, NotFound
from app.extensions import db
from app.files.models import Attachment
from app.files.services import attachment_path
from app.members.models import CORE_FILING_KINDS, MEMBER_KINDS, CoreFiling, Member, Qualification
from app.members.records import suspension_reason
from app.members.services import PRACTICING
from app.organizations.societies import default_society, society_of_org

INCOMPLETE = "请将会员必填信息补充完整，再进行下载"  # R-CER-7, the manual's exact words


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str


def current_filings(member: Member) -> dict[str, CoreFiling]:
    """The filing in force per kind: the newest (R-INFO-1 applies changes at once; history is kept)."""
    rows = db.session.scalars(
        select(CoreFiling).where(CoreFiling.member_id == member.id).order_by(CoreFiling.filed_at, CoreFiling.id)
    )
    return {row.kind: row for row in rows}


def file_core_filing(member: Member, kind: str, attachment: Attachment, actor: User) -> CoreFiling:
    filing = CoreFiling(member_id=member.id, kind=kind, attachment_id=attachment.id, filed_by_id=actor.id)
    db.session.add(filing)
    db.session.flush()
    return filing


# 资产评估师 and 资产评估师（珠宝）: holders sign reports; a trainee without either is an "other professional"
APPRAISER_QUALIFICATIONS = ("appraiser", "appraiser_jewelry")


def certificate_kind(member: Member) -> tuple[str | None, str]:
    """Which certificate the member gets now and its title (rules/certificate_kind.dmn, R-CER-1)."""
    qualified = db.session.scalar(
        select(func.count(Qualification.id)).where(
            Qualification.user_id == member.user_id, Qualification.kind.in_(APPRAISER_QUALIFICATIONS)
        )
    )
    out = catalog().decide(
        "certificate_kind", {"member_kind": member.kind, "has_appraiser_qualification": bool(qualified)}
    )
    return out.outputs.get("certificate_kind"), str(out.outputs.get("title") or "")


def print_verdict(member: Member, kind: str | None) -> Verdict:
    """rules/certificate_print.dmn over the member's facts now (R-CER-2, R-CER-3, R-CER-4); a suspended membership
    prints nothing (issue 14)."""
    if member.status == "active" and (suspended := suspension_reason(member.user_id)):
        return Verdict(False, suspended)
    filings = current_filings(member)
    facts = {
        "member_status": member.status,
        "in_custody": member.in_custody,
        "member_kind": member.kind,
        "certificate_kind": kind,
        "current_certificate_kind": certificate_kind(member)[0],
        "annual_inspection": member.annual_inspection,
        "today": clock.today().isoformat(),
        "missing_filings": "、".join(label for kind, label in CORE_FILING_KINDS.items() if kind not in filings),
    }
    decision = catalog().decide("certificate_print", facts)
    return Verdict(bool(decision.outputs.get("allowed")), str(decision.outputs.get("reason") or ""))


def missing_required_fields(member: Member) -> list[str]:
    """What a certificate cannot be issued without (R-CER-7). From the CICPA manuals' member lists and the certificate
    itself: name, member number, photo, the association; practicing members also their firm. Gender, birth date and
    ID number are in those lists too but are not printed, so they do not block the download."""
    user = db.session.get(User, member.user_id)
    missing = []
    if user is None or not user.name.strip():
        missing.append("姓名")
    if not member.member_number.strip():
        missing.append("会员编号")
    if "photo" not in current_filings(member):
        missing.append("头像")
    if member.kind in PRACTICING and member.firm_id is None and not member.in_custody:
        missing.append("所在机构")
    return missing


def require_printable(member: Member) -> None:
    """A member printing their own certificate: the print rules first, they name the missing filings."""
    with recording("print", member.user_id, only=("certificate_print",)):  # the decision log (issue 18)
        verdict = print_verdict(member, certificate_kind(member)[0])
    if not verdict.allowed:
        raise NotEligible(verdict.reason)
    if missing_required_fields(member):
        raise NotEligible(INCOMPLETE)


def require_downloadable(member: Member, actor: User) -> None:
    """Association staff downloading: the completeness check first, as in the CICPA manual, then the print rules."""
    if missing_required_fields(member):
        raise NotEligible(INCOMPLETE)
    with recording("print", member.user_id, actor_id=actor.id, only=("certificate_print",)):
        verdict = print_verdict(member, certificate_kind(member)[0])
    if not verdict.allowed:
        raise NotEligible(verdict.reason)


def current_certificate(member: Member) -> Certificate:
    """The unrevoked certificate of the member's current kind (R-CER-4), issued on first print."""
    kind = certificate_kind(member)[0] or member.kind
    current = (
        select(Certificate)
        .where(Certificate.member_id == member.id, Certificate.kind == kind, Certificate.revoked_at.is_(None))
        .order_by(Certificate.id.desc())
        .limit(1)
    )
    cert = db.session.scalar(current)
    if cert is None:
        # two first prints at once: the unique serial and the one-current-certificate index let one insert,
        # the other then reads the certificate the first issued
        issued = db.session.scalar(select(func.count(Certificate.id)).where(Certificate.member_id == member.id)) or 0
        serial = f"{member.member_number}-{issued + 1:02d}"
        insert_unless_present(
            Certificate, {"member_id": member.id, "kind": kind, "serial": serial, "issued_at": clock.now()}
        )
        cert = db.session.scalar(current)
        if cert is None:
            raise Conflict(gettext("证书正在由他人同时办理，请刷新后重试"))
    return cert


def print_certificate(member: Member, actor: User) -> bytes:
    """Render the member's current certificate and log the print (R-CER-6). Callers check eligibility first."""
    cert = current_certificate(member)
    content = certificate_content(cert)
    db.session.add(
        PrintRecord(
            certificate_id=cert.id,
            member_id=member.id,
            printed_by_id=actor.id,
            printed_at=clock.now(),
            kind=cert.kind,
            serial=cert.serial,
        )
    )
    db.session.flush()
    return pdf.render_certificate(content)


def certificate_content(cert: Certificate) -> pdf.CertificateContent:
    member = cert.member
    user = db.session.get(User, member.user_id)
    photo = current_filings(member).get("photo")
    attachment = db.session.get(Attachment, photo.attachment_id) if photo else None
    label = MEMBER_KINDS.get(member.kind, member.kind)
    return pdf.CertificateContent(
        title=certificate_kind(member)[1] or f"{label}证书",
        name=user.name if user else "",
        member_number=member.member_number,
        kind_label=label,
        firm_name=member.firm.name if member.firm else ("协会代管" if member.in_custody else "—"),
        association_name=_association_name(member),
        issue_date=clock.local_date(cert.issued_at).strftime("%Y年%m月%d日"),
        serial=cert.serial,
        photo=attachment_path(attachment) if attachment else None,
        qr_png=qr.qr_png(qr.verify_url(cert)),
        society_name=society_name(member),
    )


def list_prints(member: Member, limit: int = 50) -> list[PrintRecord]:
    stmt = (
        select(PrintRecord)
        .where(PrintRecord.member_id == member.id)
        .order_by(PrintRecord.printed_at.desc(), PrintRecord.id.desc())
    )
    return list(db.session.scalars(stmt.limit(limit)))


def printed_by_names(records: list[PrintRecord]) -> dict[int, str]:
    ids = {r.printed_by_id for r in records}
    if not ids:
        return {}
    return {user_id: name for user_id, name in db.session.execute(select(User.id, User.name).where(User.id.in_(ids)))}


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    member: Member
    name: str
    kind_label: str
    firm_name: str
    association_name: str
    valid: bool
    reason: str
    has_photo: bool
    society_name: str


def verify_certificate(token: str) -> Verification:
    """R-CER-5: what the QR code opens. Valid = not revoked and the print rules still allow this certificate now."""
    cert_id, member_id, kind, serial = qr.read_token(token)
    cert = db.session.get(Certificate, cert_id)
    if cert is None or (cert.member_id, cert.kind, cert.serial) != (member_id, kind, serial):
        raise NotFound(gettext("未找到该证书"))
    member = cert.member
    user = db.session.get(User, member.user_id)
    if cert.revoked_at is not None:
        valid, reason = False, "该证书已作废"
    else:
        verdict = print_verdict(member, cert.kind)
        valid, reason = verdict.allowed, verdict.reason
    return Verification(
        certificate=cert,
        member=member,
        name=user.name if user else "",
        kind_label=MEMBER_KINDS.get(cert.kind) or MEMBER_KINDS.get(member.kind, member.kind),
        firm_name=member.firm.name if member.firm else "—",
        association_name=_association_name(member),
        valid=valid,
        reason=reason,
        has_photo="photo" in current_filings(member),
        society_name=society_name(member),
    )


def photo_attachment(member: Member) -> Attachment | None:
    photo = current_filings(member).get("photo")
    return db.session.get(Attachment, photo.attachment_id) if photo else None


def member_name(member: Member) -> str:
    user = db.session.get(User, member.user_id)
    return user.name if user else ""


def seal_template(member: Member) -> bytes:
    return pdf.render_seal_template(member_name(member), member.member_number, society_name(member))


def society_name(member: Member) -> str:
    """The association whose member this is (its local association's), which issues the certificate."""
    society = society_of_org(member.local_association) or default_society()
    return society.name if society else ""


def _association_name(member: Member) -> str:
    if member.overseas:
        return society_name(member)
    return member.local_association.name
