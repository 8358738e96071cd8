"""The certificate's QR code: a verification URL carrying a signed token (ids, kind, serial; no personal data)."""

import io

import qrcode
from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image

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


# The QR spec lets the encoder choose any of the 8 mask patterns (ISO/IEC 18004 §7.8; the choice is written into the
# format information a reader decodes first). Scoring all 8 to pick the "best" was most of a certificate's QR time
# (issue 13); a fixed one scans the same (tests/certificates/test_pdf.py decodes the printed page).
MASK_PATTERN = 2
BOX_PIXELS, BORDER_MODULES = 8, 2


def qr_png(url: str) -> bytes:
    """The QR code as a PNG: one pixel per module, scaled up without smoothing (not one rectangle drawn per module)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER_MODULES, mask_pattern=MASK_PATTERN
    )
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # the border included; True is a dark module
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    buf = io.BytesIO()
    image.resize((size * BOX_PIXELS, size * BOX_PIXELS), Image.Resampling.NEAREST).convert("1").save(buf, "PNG")
    return buf.getvalue()
