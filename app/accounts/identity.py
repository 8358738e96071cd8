"""Identity verification (R-ACC-1 name–ID match, R-ACC-2 face): an interface and its development backend."""

import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from app import clock
from app.accounts.models import FaceSession, User
from app.errors import NotFound
from app.extensions import db
from app.urls import external_url


@dataclass(frozen=True)
class FaceStart:
    session_id: str
    url: str  # what the phone opens (shown as a QR code / link)


class IdentityVerifier(ABC):
    @abstractmethod
    def check_name_id(self, name: str, id_number: str) -> str | None:
        """None when the name belongs to the ID number, else the reason to show."""

    @abstractmethod
    def start_face_session(self, user: User) -> FaceStart: ...

    @abstractmethod
    def face_session_result(self, session_id: str, user: User) -> str:
        """pending | passed | failed, for a session of this user."""


class DevIdentityVerifier(IdentityVerifier):
    """Refuses configured names like the real service refuses a mismatch; face sessions are rows that
    the page /dev/face/<session> decides, standing in for the phone."""

    def check_name_id(self, name: str, id_number: str) -> str | None:
        if name in current_app.config["MEMBERFLOW_DEV_MISMATCH_NAMES"]:
            return "姓名与身份证号码不一致（公安身份核验未通过）"
        return None

    def start_face_session(self, user: User) -> FaceStart:
        session = FaceSession(id=secrets.token_urlsafe(24), user_id=user.id, created_at=clock.now())
        db.session.add(session)
        db.session.flush()
        return FaceStart(session.id, external_url("identity.dev_face", session_id=session.id))

    def face_session_result(self, session_id: str, user: User) -> str:
        session = db.session.get(FaceSession, session_id)
        if session is None or session.user_id != user.id:
            raise NotFound(gettext("人脸识别会话不存在"))
        return session.status


_BACKENDS: dict[str, type[IdentityVerifier]] = {"dev": DevIdentityVerifier}


def identity_verifier() -> IdentityVerifier:
    return _BACKENDS[current_app.config["MEMBERFLOW_IDENTITY_BACKEND"]]()


def start_face_verification(user: User) -> FaceStart:
    return identity_verifier().start_face_session(user)


def finish_face_verification(user: User, session_id: str) -> str:
    """R-ACC-2: the account becomes verified when the backend reports the face check passed."""
    status = identity_verifier().face_session_result(session_id, user)
    if status == "passed" and user.verified_at is None:
        user.verified_at = clock.now()
        db.session.flush()
    return status


# R-ACC-2: steps marked faceCheck in the BPMN need a face check passed this recently
FACE_CHECK_VALID_FOR = timedelta(minutes=10)


def passed_face_check_recently(user: User) -> bool:
    since = clock.now() - FACE_CHECK_VALID_FOR
    return (
        db.session.scalar(
            select(FaceSession.id).where(
                FaceSession.user_id == user.id, FaceSession.status == "passed", FaceSession.decided_at >= since
            )
        )
        is not None
    )


def decide_dev_face_session(session_id: str, passed: bool) -> FaceSession:
    """What the phone does in development: the person passes or fails the face check."""
    session = dev_face_session(session_id)
    if session.status != "pending":
        raise NotFound(gettext("该人脸识别会话已结束"))
    session.status, session.decided_at = ("passed" if passed else "failed"), clock.now()
    db.session.flush()
    return session


def dev_face_session(session_id: str) -> FaceSession:
    if current_app.config["MEMBERFLOW_IDENTITY_BACKEND"] != "dev":
        raise NotFound(gettext("页面不存在"))
    session = db.session.get(FaceSession, session_id)
    if session is None:
        raise NotFound(gettext("该人脸识别会话不存在"))
    return session
