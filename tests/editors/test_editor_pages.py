"""The workbench editor pages (issue 17 items 2 and 7): analysts only, pick lists from the registries, the form
preview by the real form kit, and the editors' bundles on the editor pages only."""

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from tests.processes.walk import person
from tests.workbench.conftest import login

BUNDLE = "vendor/editors/bpmn-editor.js"
VENDOR = Path(__file__).resolve().parents[2] / "app/static/vendor/editors"


@pytest.mark.parametrize(
    ("kind", "name", "bundle"),
    [("bpmn", "transfer.bpmn", BUNDLE), ("dmn", "transfer_eligibility.dmn", "vendor/editors/dmn-editor.js")],
)
def test_an_analyst_gets_the_editor_with_its_bundle_under_the_csp(analyst_client, kind, name, bundle):
    page = analyst_client.get(f"/workbench/edit/{kind}/{name}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert bundle in html and f'data-api="/workbench/api/files/{kind}/{name}"' in html
    csp = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "<script>" not in html  # scripts are files, styles are files


def test_other_people_are_refused_and_unknown_names_not_found(client, world, analyst_client):
    assert analyst_client.get("/workbench/edit/bpmn/..%2Fetc%2Fpasswd").status_code == 404
    assert analyst_client.get("/workbench/edit/bpmn/transfer.dmn").status_code == 404
    login(client, person("13800000001"))  # the demo applicant
    assert client.get("/workbench/edit/bpmn/transfer.bpmn").status_code == 403
    assert client.get("/workbench/edit/vocabulary.json").status_code == 403


def test_applicant_pages_do_not_load_the_editor_bundles(client, world):
    login(client, person("13800000001"))
    html = client.get("/").get_data(as_text=True)
    assert "vendor/editors" not in html and "workbench/" not in html


def test_the_pick_lists_come_from_the_registries(analyst_client):
    voc = analyst_client.get("/workbench/edit/vocabulary.json").get_json()
    operations = {o["name"]: o["parameters"] for o in voc["operations"]}
    assert operations["members/transfer_context"] == [
        {"name": "user_id", "type": "int", "required": True},
        {"name": "new_firm_id", "type": "int", "required": True},
    ]
    roles = [r["value"] for r in voc["roles"]]
    assert {"applicant", "firm", "local_association", "system"} <= set(roles)
    assert "transfer_apply" in voc["forms"] and "transfer_eligibility" in voc["decisions"]
    assert voc["form_rules"]["join_practicing"] == {"kind": "join_kind"}  # R-JOIN-2's gated option
    assert "local_review" in voc["due_days"] and voc["labels"]["orgScope"]


def test_the_form_preview_is_the_form_kit_rendering_the_texts_being_edited(analyst_client, app):
    forms = app.config["MEMBERFLOW_FORMS_DIR"]
    schema = open(f"{forms}/transfer_apply.json", encoding="utf-8").read()
    ui = open(f"{forms}/transfer_apply.ui.json", encoding="utf-8").read()
    url = "/workbench/edit/form/transfer_apply.ui.json/preview"
    shown = analyst_client.post(url, json={"schema": schema, "ui": ui.replace("转入", "调入", 1)})
    assert shown.status_code == 200 and "调入" in shown.get_json()["html"]
    broken = analyst_client.post(url, json={"schema": schema, "ui": '{\n  "order": ["no_such_field"]\n}'})
    assert broken.status_code == 422
    message = "字段「no_such_field」不在表单 schema 中 (field not in schema)"
    assert broken.get_json()["problems"] == [{"file": "transfer_apply.ui.json", "line": 2, "message": message}]


def test_the_workbench_lists_each_file_with_its_editor(analyst_client):
    html = analyst_client.get("/workbench/").get_data(as_text=True)
    assert 'href="/workbench/edit/bpmn/transfer.bpmn"' in html
    assert 'href="/workbench/edit/form/transfer_apply.ui.json"' in html


def test_the_dmn_editor_gives_dmn_js_its_words_in_chinese_and_leaves_english_alone(analyst_client):
    """Issue 17: dmn-js's own controls follow the page's language; on an English page dmn-js keeps its English."""
    url = "/workbench/edit/dmn/transfer_eligibility.dmn"
    chinese = page_words(analyst_client, url)
    assert chinese["Hit policy:"] == "命中策略：" and chinese["Add rule above"] == "在上方插入规则"
    assert page_words(analyst_client, url, **{"Accept-Language": "en"}) == {}


def test_every_dmn_word_is_one_the_vendored_dmn_js_asks_for():
    """A dmn-js upgrade that renames a word shows here (scripts/vendor-editors), not as English on the page."""
    from app.editors.dmn_words import DMN_WORDS

    bundle = (VENDOR / "dmn-editor.js").read_text("utf-8")
    assert [word for word in DMN_WORDS if f'"{word}"' not in bundle] == []


def page_words(client, url: str, **headers) -> dict[str, str]:
    """The words an editor page hands its library (the container's data-words)."""
    page = client.get(url, headers=headers).get_data(as_text=True)
    return json.loads(html_lib.unescape(re.search(r"data-words='([^']*)'", page).group(1)))


def test_the_bpmn_editor_gives_bpmn_js_its_words_in_chinese_and_leaves_english_alone(analyst_client):
    """bpmn-js's palette, context pad, change-type menu and properties panel follow the page's language."""
    url = "/workbench/edit/bpmn/transfer.bpmn"
    chinese = page_words(analyst_client, url)
    assert chinese["Create start event"] == "创建开始事件" and chinese["Append task"] == "追加任务"
    assert chinese["User task"] == "用户任务" and chinese["Exclusive gateway"] == "排他网关"
    assert chinese["Align elements left"] == "左对齐" and chinese["User Task"] == "用户任务"  # the panel's heading
    assert page_words(analyst_client, url, **{"Accept-Language": "en"}) == {}


def test_every_bpmn_word_is_one_the_vendored_bpmn_js_asks_for():
    """A bpmn-js (or properties panel) upgrade that renames a word shows here, not as English on the page."""
    from app.editors.bpmn_panel_words import BPMN_PANEL_WORDS, PANEL_HEADINGS
    from app.editors.bpmn_words import ALIGN_SIDES, BPMN_WORDS

    bundle = (VENDOR / "bpmn-editor.js").read_text("utf-8")
    composed = {"Align elements " + side for side in ALIGN_SIDES} | set(PANEL_HEADINGS)
    words = [word for word in {**BPMN_WORDS, **BPMN_PANEL_WORDS} if word not in composed]
    assert [word for word in words if f'"{word}"' not in bundle] == []
    # the align menu asks for "Align elements " + each of its sides
    assert '("Align elements "+' in bundle and '"left","center","right","top","middle","bottom"' in bundle
    # the panel's heading is the element's type spelled out: UserTask → "User Task", "(Non Interrupting)" behind
    assert '.replace(/(\\B[A-Z])/g," $1").replace(/(\\bNon Interrupting)/g,"($1)")' in bundle
