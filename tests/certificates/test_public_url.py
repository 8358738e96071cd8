"""The QR code of a printed certificate names the address people reach, not the internal host name.

Behind a proxy (MEMBERFLOW_PROXY_COUNT=1) the request's X-Forwarded-Proto/Host give it; MEMBERFLOW_PUBLIC_URL
gives it outright (and also where no request is, e.g. an SMS sent by the scheduler).
"""

from urllib.parse import urlparse

from app.demo import DEMO_PASSWORD, load_demo
from app.extensions import db
from tests.fresh import fresh_app

PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "member.example.org", "X-Forwarded-For": "1.2.3.4"}


def _print_qr(app, tmp_path, scan_qr, **settings) -> str:
    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, **settings) as other:
        db.create_all()
        load_demo()
        db.session.commit()
        client = other.test_client()
        login = client.post("/login", data={"mobile": "13800000011", "password": DEMO_PASSWORD}, headers=PROXY_HEADERS)
        assert login.status_code == 302
        pdf = client.post("/certificate/print", headers=PROXY_HEADERS)
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        (url,) = scan_qr(pdf.data)
        return url


def test_behind_one_proxy_the_qr_encodes_the_public_https_url(app, tmp_path, scan_qr):
    url = _print_qr(app, tmp_path, scan_qr, MEMBERFLOW_PROXY_COUNT=1)
    assert url.startswith("https://member.example.org/verify/")


def test_without_a_trusted_proxy_the_forwarded_headers_are_ignored(app, tmp_path, scan_qr):
    url = _print_qr(app, tmp_path, scan_qr)  # MEMBERFLOW_PROXY_COUNT=0: anyone could send those headers
    assert urlparse(url).scheme == "http" and urlparse(url).netloc == "localhost"


def test_the_public_url_setting_wins_with_its_path_prefix(app, tmp_path, scan_qr):
    url = _print_qr(app, tmp_path, scan_qr, MEMBERFLOW_PUBLIC_URL="https://www.cas.org.cn/member")
    assert url.startswith("https://www.cas.org.cn/member/verify/")
