"""An analyst looks at a diff and migrates from the dry run, as a person would (issue 17 items 4 and 5)."""

from pathlib import Path

import pytest

from app.accounts.models import User
from app.extensions import db
from app.workbench.catalog import publish
from tests.migration.conftest import FIXTURES, catalog_of, start_mig

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results" / "migration"


@pytest.fixture
def size() -> str:
    return "desktop"


def test_an_analyst_compares_versions_and_migrates_the_movable_applications(live, open_as, monkeypatch):
    monkeypatch.setitem(live.app.extensions, "memberflow.catalog", catalog_of("v1"))
    with live.app.app_context():
        applicant = db.session.scalar(db.select(User).where(User.mobile == "13800000001"))
        from tests.migration.test_migrate import advance

        started = [start_mig(applicant) for _ in range(3)]
        advance(started[2], applicant, 2)  # at 旧步骤: cannot move
        admin = db.session.scalar(db.select(User).where(User.mobile == "13500000000"))
        first = publish("bpmn", "mig.bpmn", (FIXTURES / "v1" / "mig.bpmn").read_text(), None, admin, "初版", "web")
        publish("bpmn", "mig.bpmn", (FIXTURES / "v2" / "mig.bpmn").read_text(), first.id, admin, "加新步骤", "web")
        db.session.commit()
        db.session.remove()
    monkeypatch.setitem(live.app.extensions, "memberflow.catalog", catalog_of("v2"))
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = open_as("13500000000")  # the administrator holds the analyst role
    page.goto("/workbench/processes/mig/versions")
    assert page.get_by_role("link", name="mig.bpmn v1").is_visible() and page.get_by_text("加新步骤").is_visible()
    page.get_by_role("link", name="与当前版本对比").click()
    assert page.locator("svg .node.done").count() == 1 and page.locator("svg .node.current").count() == 1
    page.screenshot(path=str(SHOTS / "diff.png"), full_page=True)
    page.get_by_role("link", name="返回版本列表").click()
    page.get_by_role("link", name="迁移到当前版本（试运行）").click()
    assert page.get_by_text("不可迁移").count() == 1 and page.locator('input[name="instance"]').count() == 2
    page.screenshot(path=str(SHOTS / "dry_run.png"), full_page=True)
    page.get_by_role("button", name="迁移选中的申请").click()
    page.wait_for_url("**/migrations/*")
    page.locator("#migration-status", has_text="迁移完成").wait_for()  # the page polls the job until it is done
    assert page.get_by_text("已迁移 2 个申请").is_visible() and page.get_by_text("试运行").count() == 0
    page.screenshot(path=str(SHOTS / "migrated.png"), full_page=True)
    page.get_by_role("link", name="返回版本列表").click()
    assert page.locator("#migration-jobs").get_by_text("已迁移 2 个，未迁移 0 个").is_visible()
    page.screenshot(path=str(SHOTS / "versions.png"), full_page=True)
