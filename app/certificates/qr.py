"""The certificate's QR code: a verification URL carrying a signed token (ids, kind, serial; no personal data)."""

import io

import qrcode
from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer

from app.certificates.models import Certificate
from app.errors import DomainError
from app.urls import external_url

# A printed certificate must stay checkable for as long as it is on paper, so the token does not expire; whether it
# is still valid is decided when it is checked (revocation, the print rules now).
SALT = "memberflow.certificate-verify"


class TamperedToken(DomainError):
    status = 400


def _serializer() -> URLSafeSerializer:
    key = current_app.config.get("MEMBERFLOW_CERTIFICATE_KEY") or current_app.config["SECRET_KEY"]
    return URLSafeSerializer(key, salt=SALT)


def certificate_token(cert: Certificate) -> str:
    return str(_serializer().dumps([cert.id, cert.member_id, cert.kind, cert.serial]))


def read_token(token: str) -> tuple[int, int, str, str]:
    """(certificate id, member id, kind, serial) of an untampered token."""
    try:
        cert_id, member_id, kind, serial = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError) as err:
        raise TamperedToken(gettext("二维码无效：证书校验码不正确，可能已被篡改，请以协会查询结果为准")) from err
    return int(cert_id), int(member_id), str(kind), str(serial)


def verify_url(cert: Certificate) -> str:
    return external_url("certificates.verify", token=certificate_token(cert))


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    buf = io.BytesIO()
    image.save(buf)
    return buf.getvalue()
