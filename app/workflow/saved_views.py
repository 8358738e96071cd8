"""A reviewer's saved inbox views: a name, the filters and the sort, shown as tabs with their counts."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Row, String, UniqueConstraint, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.accounts.models import User
from app.dbtypes import UTCDateTime
from app.errors import Conflict, Invalid, NotFound
from app.extensions import Base, db
from app.workflow.inbox import InboxFilter
from app.workflow.queries import INBOX_SORTS

MAX_VIEWS = 20
MAX_NAME = 40


class SavedInboxView(Base):
    __tablename__ = "saved_inbox_view"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_inbox_view_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sort: Mapped[str] = mapped_column(String(20), default="newest")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


def view_filter(filters: dict[str, Any] | None) -> InboxFilter:
    """A saved view's filter, read back through the same parser as a URL: a view saved before a filter changed still
    opens."""
    return InboxFilter.from_args(filters or {})


# the tabs' columns, read as plain rows on the session's connection, without the ORM's step (the inbox page reads
# them on every request, issues 13 and 15)
_TABS = (
    select(SavedInboxView.id, SavedInboxView.name, SavedInboxView.filters, SavedInboxView.sort)
    .where(SavedInboxView.user_id == bindparam("user_id"))
    .order_by(SavedInboxView.id)
)


def saved_view_tabs(user: User) -> list[Row[Any]]:
    """The user's saved views as the inbox's tabs show them: id, name, filters (view_filter) and sort."""
    return list(db.session.connection().execute(_TABS, {"user_id": user.id}))


def list_saved_views(user: User) -> list[SavedInboxView]:
    stmt = select(SavedInboxView).where(SavedInboxView.user_id == user.id).order_by(SavedInboxView.id)
    return list(db.session.scalars(stmt))


def save_view(user: User, name: str, filters: InboxFilter, sort: str) -> SavedInboxView:
    """Save (or, under the same name, replace) a view; the unique name per user is the database's to guard."""
    name = name.strip()[:MAX_NAME]
    if not name:
        raise Invalid("请填写视图名称", {"name": "请填写视图名称"})
    existing = db.session.scalar(
        select(SavedInboxView).where(SavedInboxView.user_id == user.id, SavedInboxView.name == name)
    )
    if existing is None and len(list_saved_views(user)) >= MAX_VIEWS:
        raise Conflict(f"最多保存 {MAX_VIEWS} 个视图，请先删除不用的视图")
    view = existing or SavedInboxView(user_id=user.id, name=name, created_at=clock.now())
    view.filters, view.sort = filters.as_args(), sort if sort in INBOX_SORTS else "newest"
    try:
        with db.session.begin_nested():
            db.session.add(view)
    except IntegrityError as err:  # the same name saved twice at once
        raise Conflict("已有同名视图，请刷新后再试") from err
    return view


def delete_view(user: User, view_id: int) -> None:
    view = db.session.get(SavedInboxView, view_id)
    if view is None or view.user_id != user.id:
        raise NotFound("视图不存在")
    db.session.delete(view)
    db.session.flush()


def get_view(user: User, view_id: int) -> SavedInboxView:
    view = db.session.get(SavedInboxView, view_id)
    if view is None or view.user_id != user.id:
        raise NotFound("视图不存在")
    return view
