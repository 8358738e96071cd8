"""The version pages in the analyst's words (issue 17 items 4, 5): file versions with author and comment instead of
hashes, local times, a diff that names elements and says what changed, and the two version lists linked."""

import re
import shutil
from datetime import UTC, datetime

from app import clock
from app.config import ROOT
from app.engine.specs import load_catalog
from app.extensions import db
from app.migration.diff import diff_versions
from app.migration.plan import short
from app.migration.words import describe
from app.workbench.catalog import publish
from tests.migration.conftest import FIXTURES
from tests.migration.test_migrate import three_on_v1  # noqa: F401  (the fixture)
from tests.workflow.test_views import login


def _publish_fixtures(world) -> None:
    """mig.bpmn v1 and v2 as an analyst published them (the catalog's file versions of the fixtures)."""
    with clock.own_clock(datetime(2026, 3, 1, 1, 30, tzinfo=UTC)):  # 09:30 in Beijing
        v1 = publish("bpmn", "mig.bpmn", (FIXTURES / "v1" / "mig.bpmn").read_text(), None, world.admin, "初版", "web")
    with clock.own_clock(datetime(2026, 3, 2, 6, 5, tzinfo=UTC)):
        publish("bpmn", "mig.bpmn", (FIXTURES / "v2" / "mig.bpmn").read_text(), v1.id, world.admin, "加新步骤", "web")
    db.session.commit()


def test_the_process_versions_page_names_file_versions_with_author_comment_and_local_time(
    client,
    world,
    three_on_v1,  # noqa: F811
):
    v1, v2, _ = three_on_v1
    _publish_fixtures(world)
    login(client, world.admin)
    page = client.get("/workbench/processes/mig/versions").get_data(as_text=True)
    rows = re.findall(r'<tr data-version="(\w+)">(.*?)</tr>', page, re.S)
    assert [label for label, _ in rows] == [short(v2), short(v1)]
    new, old = rows[0][1], rows[1][1]
    assert "mig.bpmn v2" in new and "加新步骤" in new and world.admin.name in new and "当前版本" in new
    assert "mig.bpmn v1" in old and "初版" in old and "2026-03-01 09:30" in old  # Beijing time, not UTC 01:30
    assert "/workbench/files/bpmn/mig.bpmn/versions" in new
    # the hash is a detail, not the version's name
    assert re.search(r"<details>.*?" + short(v1), old, re.S) and f">{short(v1)}<" not in old.split("<details>")[0]


def test_the_file_versions_page_links_the_running_applications_of_its_processes(client, world, three_on_v1):  # noqa: F811
    _publish_fixtures(world)
    login(client, world.admin)
    page = client.get("/workbench/files/bpmn/mig.bpmn/versions").get_data(as_text=True)
    assert 'href="/workbench/processes/mig/versions"' in page


def test_the_diff_says_what_changed_in_words_with_element_names(client, world, three_on_v1):  # noqa: F811
    v1, v2, _ = three_on_v1
    _publish_fixtures(world)
    login(client, world.admin)
    page = client.get(f"/workbench/processes/mig/versions/{short(v1)}/diff/{short(v2)}").get_data(as_text=True)
    assert "mig.bpmn v1 → mig.bpmn v2" in page
    row = re.search(r'<tr data-element="Task_A">(.*?)</tr>', page, re.S).group(1)
    assert "填写（新版）" in row and "用户任务" in row and "名称、办理期限已改动" in row
    assert "extensions" not in row.split("<details")[0]  # the engine's words only as a detail
    added = re.search(r'<tr data-element="F_Task_B_Task_N">(.*?)</tr>', page, re.S).group(1)
    assert "确认 → 新步骤" in added and "顺序流" in added and "新增" in added


def test_a_changed_condition_is_said_as_a_condition_of_the_named_flow(app, tmp_path):
    """The walk's case: Gw_OutLocal's condition edited read "Gw_OutLocal 改动：cond_task_specs"."""
    changed = tmp_path / "processes"
    shutil.copytree(ROOT / "processes", changed, ignore=shutil.ignore_patterns("tests"))
    path = changed / "branch_transfer.bpmn"
    path.write_text(path.read_text().replace('decision == "return"', 'decision == "back"'))
    old = load_catalog(ROOT / "processes", ROOT / "rules", ROOT / "forms").process("branch_transfer")
    new = load_catalog(changed, ROOT / "rules", ROOT / "forms").process("branch_transfer")
    with app.test_request_context():
        said = {c.bpmn_id: c for c in describe(old, new, diff_versions(old, new))}
    assert said["Flow_OutReturn"].label == "退回修改" and said["Flow_OutReturn"].what == ("条件",)
    assert said["Gw_OutLocal"].kind == "排他网关" and said["Gw_OutLocal"].label == "转出地协会意见"
    assert said["Gw_OutLocal"].what == ("条件",) and said["Gw_OutLocal"].engine == ("cond_task_specs",)
