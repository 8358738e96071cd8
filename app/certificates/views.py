"""Certificate pages: the member's own, the public QR verification, and the association staff's member list."""

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app import clock
from app.admin.export_views import respond
from app.certificates import samples, services, staff
from app.errors import Invalid, NotFound
from app.files.models import Attachment
from app.files.services import attachment_path, store_upload
from app.members.center import EDUCATION, work_record
from app.members.models import MEMBER_KINDS, Member
from app.members.services import active_member
from app.routing import page_number, record_id
from app.security_headers import private_file, sandboxed_file

bp = Blueprint("certificates", __name__)
CORE_FILING_MAX_BYTES = 1024 * 1024  # R-INFO-1


def _pdf(content: bytes, name: str, *, download: bool) -> Response:
    pdf = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=download, download_name=name)
    return private_file(pdf)


def _image(att: Attachment | None) -> Response:
    if att is None:
        # the placeholder is served at the URL of a person's photo: no cache may keep either
        return sandboxed_file(send_file(io.BytesIO(samples.sample_photo_png()), mimetype="image/png"))
    return sandboxed_file(send_file(attachment_path(att), mimetype=att.mime))


def _own_member() -> Member:
    member = active_member(current_user)
    if member is None:
        raise NotFound(gettext("您还不是会员，没有电子证书"))
    return member


@bp.get("/certificate")
@login_required
def mine() -> str:
    member = _own_member()
    records = services.list_prints(member)
    return render_template(
        "certificates/mine.html",
        member=member,
        kind_label=MEMBER_KINDS.get(member.kind, member.kind),
        verdict=services.print_verdict(member, services.certificate_kind(member)[0]),
        missing=services.missing_required_fields(member),
        records=records,
        names=services.printed_by_names(records),
        kinds=MEMBER_KINDS,
    )


@bp.post("/certificate/print")
@login_required
def print_mine() -> Response:
    member = _own_member()
    services.require_printable(member)
    content = services.print_certificate(member, current_user)
    return _pdf(content, f"电子证书-{member.member_number}.pdf", download=False)


@bp.get("/certificate/photo")
@login_required
def my_photo() -> Response:
    return _image(services.photo_attachment(_own_member()))


@bp.get("/certificate/seal-template")
@login_required
def seal_template() -> Response:
    member = _own_member()
    return _pdf(services.seal_template(member), f"印鉴模板-{member.member_number}.pdf", download=True)


@bp.get("/verify/<token>")
def verify(token: str) -> str:
    return render_template("certificates/verify.html", v=services.verify_certificate(token), token=token)


@bp.get("/verify/<token>/photo")
def verify_photo(token: str) -> Response:
    v = services.verify_certificate(token)
    return _image(services.photo_attachment(v.member)) if v.has_photo else Response(status=404)


@bp.get("/association/members/export")
@login_required
def staff_members_export() -> Response:
    params = {"q": request.args.get("q", "")[:40]}
    return respond("members", params, f"members-{clock.today().isoformat()}.xlsx")


@bp.get("/association/members")
@login_required
def staff_members() -> str:
    query = request.args.get("q", "")
    page = staff.list_members(current_user, query, max(request.args.get("page", 1, type=page_number), 1))
    return render_template(
        "certificates/staff_members.html",
        page=page,
        q=query,
        kinds=MEMBER_KINDS,
        missing=services.missing_required_fields,
    )


def _render_member(member: Member, errors: dict[str, str] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    records = services.list_prints(member)
    return render_template(
        "certificates/staff_member.html",
        member=member,
        member_user_name=services.member_name(member),
        kinds=MEMBER_KINDS,
        education=EDUCATION,
        work=work_record(member),
        photo=services.photo_attachment(member),
        exam_photo=staff.default_photo(member),
        missing=services.missing_required_fields(member),
        verdict=services.print_verdict(member, services.certificate_kind(member)[0]),
        firms=staff.firms_for(member),
        records=records,
        names=services.printed_by_names(records),
        errors=errors or {},
    ), status


@bp.get("/association/members/<int:member_id>")
@login_required
def staff_member(member_id: int):  # type: ignore[no-untyped-def]
    return _render_member(staff.staff_member(current_user, member_id))


@bp.get("/association/members/<int:member_id>/photo")
@login_required
def staff_photo(member_id: int) -> Response:
    member = staff.staff_member(current_user, member_id)
    source = request.args.get("source")
    return _image(staff.default_photo(member) if source == "exam" else services.photo_attachment(member))


@bp.post("/association/members/<int:member_id>/photo")
@login_required
def staff_upload_photo(member_id: int) -> Response:
    member = staff.staff_member(current_user, member_id)
    upload = request.files.get("photo")
    attachment = None
    if upload is not None and upload.filename:
        attachment = store_upload(upload, current_user.id, allow="image", max_bytes=CORE_FILING_MAX_BYTES)
    staff.set_member_photo(member, current_user, attachment)
    flash(gettext("照片已上传，此后签发的电子证书将使用新照片"), "success")
    return redirect(url_for(".staff_member", member_id=member_id))


@bp.post("/association/members/<int:member_id>/fields")
@login_required
def staff_update_fields(member_id: int):  # type: ignore[no-untyped-def]
    member = staff.staff_member(current_user, member_id)
    try:
        staff.update_required_fields(
            member,
            current_user,
            name=request.form.get("name", ""),
            member_number=request.form.get("member_number", ""),
            firm_id=request.form.get("firm_id", type=record_id),
        )
    except Invalid as err:
        flash(err.message, "error")
        return _render_member(member, err.field_errors, 422)
    flash(gettext("会员信息已保存"), "success")
    return redirect(url_for(".staff_member", member_id=member_id))


@bp.post("/association/members/<int:member_id>/certificate")
@login_required
def staff_download(member_id: int) -> Response:
    member = staff.staff_member(current_user, member_id)
    services.require_downloadable(member, current_user)
    content = services.print_certificate(member, current_user)
    return _pdf(content, f"电子证书-{member.member_number}.pdf", download=True)


@bp.post("/association/members/<int:member_id>/revoke")
@login_required
def staff_revoke(member_id: int) -> Response:
    certs = staff.revoke_certificate(staff.staff_member(current_user, member_id), current_user)
    if len(certs) == 1:
        flash(gettext("证书 %(serial)s 已作废，扫码查验将显示作废", serial=certs[0].serial), "success")
    else:  # R-CER-5: one per kind held; the list separator is the language's (、 / ", ")
        serials = gettext("、").join(cert.serial for cert in certs)
        flash(gettext("证书 %(serials)s 均已作废，扫码查验将显示作废", serials=serials), "success")
    return redirect(url_for(".staff_member", member_id=member_id))
