"""Every notification's words, one function per event, in Chinese marked for translation; rendered in the
recipient's language."""

from collections.abc import Callable
from typing import Any, Protocol

from flask_babel import force_locale, lazy_gettext
from flask_babel import gettext as _

from app.i18n import DEFAULT_LOCALE


def _returned(v: dict[str, Any]) -> tuple[str, str]:
    return _("申请被退回"), _("您的「%(title)s」在「%(step)s」被退回：%(comment)s。请登录平台修改后重新提交。", **v)


def _approved(v: dict[str, Any]) -> tuple[str, str]:
    return _("申请已通过"), _("您的「%(title)s」已通过。%(outcome)s", **v)


def _rejected(v: dict[str, Any]) -> tuple[str, str]:
    return _("申请未通过"), _("您的「%(title)s」未予通过。%(outcome)s", **v)


def _completed(v: dict[str, Any]) -> tuple[str, str]:
    return _("申请已办结"), _("您的「%(title)s」已办结。%(outcome)s", **v)


def _timer(v: dict[str, Any]) -> tuple[str, str]:
    return _("申请期限已到"), _("您的「%(title)s」在「%(step)s」已到期限：%(note)s。", **v)


def _digest(v: dict[str, Any]) -> tuple[str, str]:
    return _("每日待办提醒"), _(
        "您有 %(new)d 项新到达的任务、%(overdue)d 项已超期的任务待处理，请登录平台查看待办任务。", **v
    )


TEMPLATES: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "returned": _returned,
    "approved": _approved,
    "rejected": _rejected,
    "completed": _completed,
    "timer": _timer,
    "digest": _digest,
}


# what the SMS switches on the messages page call each event (one per TEMPLATES key, in its order)
EVENT_LABELS = {
    "returned": lazy_gettext("申请被退回"),
    "approved": lazy_gettext("申请通过"),
    "rejected": lazy_gettext("申请未通过"),
    "completed": lazy_gettext("申请办结"),
    "timer": lazy_gettext("期限到达的处理结果"),
    "digest": lazy_gettext("每日待办提醒（审核人员）"),
}


class Recipient(Protocol):
    """Whom a message goes to: an account, or the columns of one that a caller read (app/notify/hooks.py)."""

    @property
    def id(self) -> int: ...

    @property
    def mobile(self) -> str: ...

    @property
    def locale(self) -> str | None: ...


def user_language(user: Recipient) -> str:
    """The language a person reads messages in: the one their account chose (the language switch), else the
    default."""
    return user.locale or DEFAULT_LOCALE


def render_message(event: str, user: Recipient, **values: Any) -> tuple[str, str]:
    """(title, body) of `event` for `user`, in their language; empty values read as nothing rather than None."""
    with force_locale(user_language(user)):
        return TEMPLATES[event]({k: ("" if v is None else v) for k, v in values.items()})
