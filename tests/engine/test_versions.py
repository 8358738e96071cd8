"""Running instances keep the version they started on, even after the file changed or broke."""

import shutil

from sqlalchemy import select

from app.config import ROOT
from app.engine.specs import load_catalog
from app.extensions import db
from app.workflow import services
from app.workflow.models import HumanTask


def test_instance_finishes_on_its_pinned_version_after_the_file_changes(app, world, tmp_path, monkeypatch):
    instance = services.start_process("join_practicing", world.applicant)
    old_key = instance.spec_key
    db.session.commit()

    for name in ("processes", "rules", "forms"):
        shutil.copytree(ROOT / name, tmp_path / name)
    bpmn = tmp_path / "processes" / "join_practicing.bpmn"
    bpmn.write_text(bpmn.read_text().replace("阅读入会须知", "阅读入会须知（新版）"))
    # a fresh process: the new catalog knows only the new version; the old one comes back from the database
    fresh = load_catalog(tmp_path / "processes", tmp_path / "rules", tmp_path / "forms")
    monkeypatch.setitem(app.extensions, "memberflow.catalog", fresh)
    assert fresh.current["join_practicing"] != old_key

    task = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()
    services.submit_task(task.id, world.applicant, {"agree_rules": True})
    assert instance.spec_key == old_key and instance.current_step == "填写入会申请"
    newer = services.start_process("join_practicing", world.returning)
    assert newer.spec_key == fresh.current["join_practicing"]
    assert newer.current_step == "阅读入会须知（新版）"
