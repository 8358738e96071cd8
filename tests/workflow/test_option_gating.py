"""Form option gating (issue 18): a DMN row that refuses an option without a reason still refuses it — the option
is disabled with a generic reason on the page, and a forged submission of it is refused by the server (R-JOIN-2)."""

from pathlib import Path

from app.extensions import db
from app.workbench.catalog import import_files, live_version, publish
from app.workbench.live import disk_sources, refresh_catalog
from tests.workflow.test_views import application_form, start_and_accept_notice

ROOT = Path(__file__).resolve().parents[2]
JOIN_KIND = (ROOT / "rules" / "join_kind.dmn").read_text(encoding="utf-8")
REASON = "首次申请执业只能选择见习执业会员；2023年以前曾为执业会员的方可选择正式执业会员"


def publish_join_kind_without_the_reason(app):
    """The analyst's version of join_kind.dmn whose row refusing 正式执业会员 to a first-time applicant says nothing."""
    assert f'<text>"{REASON}"</text>' in JOIN_KIND
    import_files(disk_sources(app))  # as the app's start does
    live = live_version("dmn", "join_kind.dmn")
    publish("dmn", "join_kind.dmn", JOIN_KIND.replace(f'"{REASON}"', '""'), live.id, None, "无原因", "web")
    db.session.commit()
    refresh_catalog(app)


def test_a_refusing_row_without_a_reason_disables_the_option_with_a_generic_reason(app, client, world, make_png):
    publish_join_kind_without_the_reason(app)
    form_url = start_and_accept_notice(client, world)
    html = client.get(form_url).get_data(as_text=True)
    full = html.split('value="full"')[1].split("</label>")[0]
    assert "disabled" in full.split(">")[0] and "不符合条件" in full and REASON not in html

    forged = client.post(
        form_url, data=application_form(world, make_png, kind="full"), content_type="multipart/form-data"
    )
    assert forged.status_code == 422 and "不符合条件" in forged.get_data(as_text=True)
    assert (
        client.post(form_url, data=application_form(world, make_png), content_type="multipart/form-data").status_code
        == 302
    )  # 见习 is still allowed
