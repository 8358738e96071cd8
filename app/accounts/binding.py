"""Existing members come aboard (issue 14 item 2): an imported account is taken over by logging in with the mobile
on record (first by SMS code, then a password is set), or bound to a new mobile after a face check against the ID
on record. Sources: cas-platform-manual ch.1 (绑定原有系统的信息), procedures §二 (使用新手机号…重新绑定会员身份)."""

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.identity import FaceStart, identity_verifier
from app.accounts.models import MemberBinding, User
from app.admin.audit import record_admin_action
from app.errors import Invalid, NotFound
from app.extensions import db


def claimable(user: User | None) -> bool:
    """An imported account nobody has taken over yet: its ID may be bound to a new mobile."""
    return user is not None and user.imported_at is not None and user.claimed_at is None


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}"


def claim_on_login(user: User) -> None:
    """Logging in with the mobile on record takes the imported account over: no later binding may take it."""
    if claimable(user):
        db.session.execute(
            update(User).where(User.id == user.id, User.claimed_at.is_(None)).values(claimed_at=clock.now())
        )
        db.session.refresh(user, ["claimed_at"])


def start_binding(owner: User, new_mobile: str, password: str) -> MemberBinding:
    """Pending until the face check against `owner`'s ID passes; the account is not changed until then."""
    binding = MemberBinding(
        user_id=owner.id,
        new_mobile=new_mobile,
        password_hash=_hash(password),
        created_at=clock.now(),
    )
    db.session.add(binding)
    db.session.flush()
    return binding


def _hash(password: str) -> str:
    probe = User(password_hash="")
    probe.set_password(password)  # the same method and cost as every other password
    return probe.password_hash


def pending_binding(binding_id: int | None) -> MemberBinding:
    binding = db.session.get(MemberBinding, binding_id) if binding_id else None
    if binding is None:
        raise NotFound(_("没有进行中的会员身份绑定，请重新注册"))
    return binding


def start_binding_face_check(binding: MemberBinding) -> FaceStart:
    owner = db.session.get(User, binding.user_id)
    assert owner is not None
    started = identity_verifier().start_face_session(owner)
    binding.face_session_id = started.session_id
    db.session.flush()
    return started


def finish_binding(binding: MemberBinding) -> User | None:
    """The face check's result decides: passed → the account takes the new mobile and password and is verified;
    failed → refused with the reason, nothing bound; pending → None (the person has not finished yet)."""
    if binding.status != "pending":
        raise Invalid(binding.reason or _("该绑定已结束"))
    owner = db.session.get(User, binding.user_id)
    assert owner is not None
    if binding.face_session_id is None:
        raise Invalid(_("请先开始人脸识别"))
    status = identity_verifier().face_session_result(binding.face_session_id, owner)
    if status == "pending":
        return None
    if status != "passed":
        return _refuse(binding, _("人脸识别未通过：与原平台档案中的身份证号不是同一人，未绑定任何会员信息"))
    return _bind(binding, owner)


def _bind(binding: MemberBinding, owner: User) -> User:
    now, old_mobile = clock.now(), owner.mobile
    try:
        with db.session.begin_nested():
            # the database decides between two bindings (or a binding and a login on record) racing for one account
            taken = db.session.execute(
                update(User)
                .where(User.id == owner.id, User.claimed_at.is_(None))
                .values(mobile=binding.new_mobile, password_hash=binding.password_hash, claimed_at=now, verified_at=now)
            ).rowcount  # type: ignore[attr-defined]
    except IntegrityError:  # the new mobile was registered by someone else meanwhile (unique mobile)
        return _refuse(binding, _("手机号 %(mobile)s 已被其他账号注册，未绑定", mobile=binding.new_mobile))
    if not taken:
        return _refuse(binding, _("该身份证号已绑定其他账号，未绑定；如有疑问请联系地方协会"))
    binding.status, binding.decided_at = "bound", now
    db.session.refresh(owner)
    details = {"old_mobile": mask_mobile(old_mobile), "new_mobile": mask_mobile(binding.new_mobile)}
    record_admin_action(owner, "member.bind", f"user:{owner.id}", details)
    return owner


def _refuse(binding: MemberBinding, reason: str) -> User:
    binding.status, binding.reason, binding.decided_at = "refused", reason, clock.now()
    db.session.flush()
    raise Invalid(reason)


def owner_by_id_number(id_number: str) -> User | None:
    return db.session.scalar(select(User).where(User.id_number == id_number))
