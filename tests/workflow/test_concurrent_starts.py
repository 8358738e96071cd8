"""R-ONE-1 under load: 20 simultaneous starts of one application by one person make exactly one instance."""

import threading
from collections import Counter
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.demo import load_demo
from app.engine.specs import catalog
from app.extensions import db
from app.workflow.models import ProcessInstance
from app.workflow.versions import persist_version
from tests.workflow.test_views import login

THREADS = 20


def _storm(file_app, mobile, path, headers=None):
    """POST `path` from THREADS clients of one person at the same moment; gives the status codes and bodies."""
    clients = [file_app.test_client() for _ in range(THREADS)]
    for c in clients:
        login(c, SimpleNamespace(mobile=mobile))
    barrier, answers = threading.Barrier(THREADS), []

    def act(c):
        barrier.wait()
        try:
            response = c.post(path, headers=headers or {})
        except Exception as err:  # the test app propagates what would be a 500
            answers.append((500, repr(err)))
        else:
            body = response.json.get("error", "") if response.is_json else response.get_data(as_text=True)
            answers.append((response.status_code, body))

    threads = [threading.Thread(target=act, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def _running(file_app, process_id):
    with file_app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(ProcessInstance)
            .where(ProcessInstance.process_id == process_id, ProcessInstance.status == "running")
        )


@pytest.fixture
def demo_on_file(file_app):
    with file_app.app_context():
        load_demo()
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("first_use", [False, True], ids=["version-stored", "version-first-used"])
@pytest.mark.parametrize(
    ("mobile", "process_id", "api"),
    [
        ("13800000033", "status_practicing", True),  # 杨帆, non-practicing: 转执业 through the API
        ("13800000034", "resign", False),  # 黄磊: 退会 from the start page's form
    ],
)
def test_twenty_simultaneous_starts_make_one_application_r_one_1(
    file_app, demo_on_file, mobile, process_id, api, first_use
):
    """On first use all 20 also race to store the new process version (issue 9, item 4)."""
    if not first_use:
        with file_app.app_context():
            persist_version(catalog().process(process_id))
            db.session.commit()
    path = f"/api/v1/processes/{process_id}/instances" if api else f"/processes/{process_id}/start"
    answers = _storm(file_app, mobile, path, {"X-Requested-With": "XMLHttpRequest"} if api else None)
    codes = Counter(code for code, _ in answers)
    assert _running(file_app, process_id) == 1, codes
    assert codes[201 if api else 302] == 1, codes
    assert set(codes) <= {201 if api else 302, 409, 422}, codes  # never a 500 (nor a 503 here)
    refusals = [body for code, body in answers if code in (409, 422)]
    assert all("正在办理" in body for body in refusals), refusals[:1]
