"""Certificate fixtures: the demo members by mobile, and reading PDFs the way a person would (text, QR scan)."""

import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.members.models import Member

# scripts/_setup.sh installs these (poppler-utils, zbar-tools) with the CJK font
TOOLS = ("pdftotext", "pdftoppm", "zbarimg")


@pytest.fixture(scope="session", autouse=True)
def _pdf_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"missing {missing}: run scripts/test (it installs poppler-utils and zbar-tools)"


@pytest.fixture
def demo_member(world):
    """Returns a callable: the demo member (and user) with that mobile, e.g. 13800000011 王喆."""

    def get(mobile: str) -> tuple[Member, User]:
        user = db.session.scalar(select(User).where(User.mobile == mobile))
        member = db.session.scalar(select(Member).where(Member.user_id == user.id))
        return member, user

    return get


@pytest.fixture
def login(client):
    def log_in(user: User) -> None:
        client.post("/logout")
        resp = client.post("/login", data={"mobile": user.mobile, "password": DEMO_PASSWORD})
        assert resp.status_code == 302, resp.get_data(as_text=True)

    return log_in


@pytest.fixture
def pdf_text(tmp_path):
    def extract(content: bytes) -> str:
        path = tmp_path / "doc.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout

    return extract


@pytest.fixture
def scan_qr(tmp_path):
    """Render the first page at 100 dpi and decode every QR code on it, as a phone camera would."""

    def scan(content: bytes) -> list[str]:
        path = tmp_path / "scan.pdf"
        path.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
        )
        page = next(tmp_path.glob("page*.png"))
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True)
        return out.stdout.split()

    return scan
