"""One row per DMN evaluation that decided something for a person when they acted (issue 18)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base


class DecisionRecord(Base):
    """A decision as it was made: table and version, every fact it was given, the row that matched, the outputs.

    All facts are kept (not only the columns the table read), so a draft that reads another fact can be replayed.
    """

    __tablename__ = "decision_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(16))  # content hash of the DMN file
    # start (a start attempt, refused ones too) | warning (shown on starting) | option (a submitted choice) | print
    purpose: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_id: Mapped[str | None] = mapped_column(String(100))
    row: Mapped[int | None]
    annotation: Mapped[str | None] = mapped_column(String(500))
    outputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # whom the facts describe
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # who acted
    process_id: Mapped[str | None] = mapped_column(String(80))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        Index("ix_decision_record_decision_at", "decision_id", "at"),
        Index("ix_decision_record_person_at", "person_id", "at"),
    )
