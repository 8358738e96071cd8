""" "Why was I refused" in words (issue 18): the matched row as a sentence from its conditions and the person's facts
(R-STA-1, R-TRF-2, R-TRF-3)."""

import pytest

from app.decisions.explain import explain
from app.errors import NotEligible
from app.extensions import db
from app.workflow import services
from tests.decisions.test_log import login, records
from tests.processes.walk import person


def refused(mobile, process_id):
    with pytest.raises(NotEligible):
        services.start_process(process_id, person(mobile))
    return records(process_id=process_id)[-1]


def test_too_few_months_reads_as_a_sentence(world):
    """R-STA-1: the trainee with 23 months."""
    assert explain(refused("13800000031", "status_full")) == "执业月数 23 < 24 → 不符合（R-STA-1）"


def test_a_failed_inspection_and_a_shareholder_read_as_sentences(world):
    """R-TRF-2 and R-TRF-3 refuse the transfer."""
    failed = explain(refused("13800000004", "transfer"))
    assert failed is not None and failed.startswith("年检状态：") and "→ 不符合（R-TRF-2" in failed
    assert explain(refused("13800000005", "transfer")) == "现机构股东：是 → 不符合（R-TRF-3）"


def test_the_catch_all_row_says_every_other_condition_is_met(world):
    services.start_process("status_full", person("13800000032"))
    assert explain(records(decision_id="status_full_eligibility")[-1]) == "其余条件均满足 → 符合（R-STA-1）"


def test_a_record_of_a_table_changed_since_is_not_explained_with_todays_conditions(world):
    record = refused("13800000031", "status_full")
    record.version = "0" * 16
    assert explain(record) is None


def test_the_person_and_the_refusal_page_show_the_sentence(client, world):
    user = person("13800000031")
    login(client, user)
    page = client.post("/processes/status_full/start").get_data(as_text=True)
    assert "执业月数 23 &lt; 24 → 不符合（R-STA-1）" in page
    db.session.commit()
    assert "执业月数 23 &lt; 24 → 不符合（R-STA-1）" in client.get("/decisions/mine").get_data(as_text=True)
