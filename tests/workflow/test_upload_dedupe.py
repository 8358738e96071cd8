"""A file chosen and sent with the form at once is stored once (issue 16): the autosave keeps it with the draft as
soon as it is chosen, and the same file may come again with the form (the autosave's answer was lost, or the form was
sent before it came). The upload is keyed in the database per application, person, field and content, so the second
write finds the first row, even when both arrive at the same moment, and the form refers to the one stored file."""

import io
import threading
from types import SimpleNamespace

from sqlalchemy import func, select

from app.extensions import db
from app.files.models import Attachment
from app.workflow.models import AuditEvent, HumanTask, TaskDraft
from tests.workflow.test_views import application_form, login, png_file, start_and_accept_notice

CONTRACT_SEED = 42  # content no other slot of application_form has


def _rows_with(sha256: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256))


def _submitted(slot: str) -> list[dict]:
    db.session.expire_all()
    # the newest by id: without an ORDER BY, PostgreSQL returns rows in heap order, and after the suite's deletes a
    # new row may sit in a page's free space before older ones (CI failed on this once)
    newest = select(AuditEvent).where(AuditEvent.form_key.is_not(None)).order_by(AuditEvent.id.desc()).limit(1)
    event = db.session.scalars(newest).one()
    return event.data[slot]


def test_a_file_kept_by_autosave_and_sent_again_with_the_form_is_stored_once(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    kept = client.post(
        f"{form_url}/autosave",
        data={"labour_contract": png_file(make_png, "合同.png", CONTRACT_SEED)},
        content_type="multipart/form-data",
    )
    assert kept.status_code == 200
    kept_id = db.session.scalars(select(TaskDraft.data)).one()["labour_contract"][0]["id"]

    # the page did not hear the autosave's answer, so the file is still in the input and goes with the form
    resp = client.post(
        form_url,
        data=application_form(world, make_png, labour_contract=png_file(make_png, "合同.png", CONTRACT_SEED)),
        content_type="multipart/form-data",
    )

    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert [a["id"] for a in _submitted("labour_contract")] == [kept_id]
    assert _rows_with(db.session.get(Attachment, kept_id).sha256) == 1


def test_the_same_content_twice_in_one_field_is_kept_once_and_other_fields_keep_theirs(client, world, make_png):
    form_url = start_and_accept_notice(client, world)
    same = [png_file(make_png, f"第{i}页.png", CONTRACT_SEED) for i in (1, 2)]

    answer = client.post(
        f"{form_url}/autosave",
        data={
            "labour_contract": [*same, png_file(make_png, "第3页.png", 43)],
            "social_security": png_file(make_png, "第1页.png", CONTRACT_SEED),
        },
        content_type="multipart/form-data",
    ).get_json()

    draft = db.session.scalars(select(TaskDraft.data)).one()
    assert answer["errors"] == {}
    assert [a["name"] for a in draft["labour_contract"]] == ["第1页.png", "第3页.png"]
    assert [a["name"] for a in draft["social_security"]] == ["第1页.png"]  # a field of its own keeps its own row
    assert draft["social_security"][0]["id"] != draft["labour_contract"][0]["id"]


def test_a_returned_application_sent_again_with_the_same_file_refers_to_it_once(client, world, make_png):
    """R-JOIN-6: the returned form starts with the earlier files; choosing the same scan again adds nothing."""
    form_url = start_and_accept_notice(client, world)
    client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data")
    first = _submitted("labour_contract")
    login(client, world.firm_reviewer)
    task = db.session.scalars(select(HumanTask).where(HumanTask.status == "open")).one()
    client.post(f"/tasks/{task.id}/claim")
    returned = client.post(f"/tasks/{task.id}", data={"decision": "return", "comment": "请补充", "action": "submit"})
    assert returned.status_code == 302, returned.get_data(as_text=True)

    login(client, world.applicant)
    again = db.session.scalars(select(HumanTask).where(HumanTask.status == "open")).one()
    resp = client.post(
        f"/tasks/{again.id}",
        data=application_form(world, make_png, labour_contract=png_file(make_png, "合同-重拍.png", 4)),
        content_type="multipart/form-data",
    )

    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert [a["id"] for a in _submitted("labour_contract")] == [a["id"] for a in first]


def test_autosave_and_the_form_arriving_at_once_store_the_file_once(file_app, make_png):
    """Both requests read the draft before either has written: only the database can tell them apart."""
    from app.demo import load_demo

    with file_app.app_context():
        world = load_demo()
        db.session.commit()
        applicant = SimpleNamespace(mobile=world.applicant.mobile)
        client = file_app.test_client()
        form_url = start_and_accept_notice(client, world)
        form = application_form(world, make_png)
    tabs = [file_app.test_client() for _ in range(2)]
    for tab in tabs:
        with file_app.app_context():
            login(tab, applicant)
    contract = make_png(CONTRACT_SEED)
    barrier, codes = threading.Barrier(2), {}

    def autosave(tab):
        barrier.wait()
        data = {"labour_contract": (io.BytesIO(contract), "合同.png")}
        codes["autosave"] = tab.post(f"{form_url}/autosave", data=data, content_type="multipart/form-data").status_code

    def submit(tab):
        barrier.wait()
        data = {**form, "labour_contract": (io.BytesIO(contract), "合同.png")}
        codes["submit"] = tab.post(form_url, data=data, content_type="multipart/form-data").status_code

    threads = [threading.Thread(target=f, args=(t,)) for f, t in zip((autosave, submit), tabs, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert codes["submit"] == 302 and codes["autosave"] in (200, 409)
    with file_app.app_context():
        submitted = _submitted("labour_contract")
        assert len(submitted) == 1
        assert _rows_with(db.session.get(Attachment, submitted[0]["id"]).sha256) == 1
