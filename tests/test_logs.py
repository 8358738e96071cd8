"""Issue 10, item 6: a request id on every request (honoured or made, echoed) and in every log line of it."""

import io
import json
import logging

import pytest

from app.logs import configure_logging


@pytest.fixture
def json_log():
    """The root logger writing JSON lines into a buffer for the test; the previous handlers come back after."""
    root = logging.getLogger()
    saved, level, spiff = list(root.handlers), root.level, logging.getLogger("spiff").level
    buffer = io.StringIO()
    configure_logging("json", "INFO", "web", stream=buffer)
    yield buffer
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("spiff").setLevel(spiff)


def test_a_given_request_id_is_echoed_and_a_missing_one_made(client):
    assert client.get("/login", headers={"X-Request-Id": "lb-7f3a.1"}).headers["X-Request-Id"] == "lb-7f3a.1"
    made = client.get("/login").headers["X-Request-Id"]
    assert len(made) == 32 and made != client.get("/login").headers["X-Request-Id"]


def test_an_id_that_could_forge_log_lines_is_replaced(client):
    echoed = client.get("/login", headers={"X-Request-Id": 'x"\\n{"level": "ERROR"}'}).headers["X-Request-Id"]
    assert echoed.isalnum() and len(echoed) == 32


def test_every_line_logged_during_a_request_is_json_with_its_id(app, json_log):
    with app.test_request_context("/login", headers={"X-Request-Id": "req-42"}):
        app.preprocess_request()
        logging.getLogger("memberflow.test").info("审核完成 %s", 7)
        app.logger.warning("second")
    logging.getLogger("memberflow.test").info("outside")
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("审核完成 7", "req-42"),
        ("second", "req-42"),
        ("outside", "-"),
    ]
    assert lines[0]["level"] == "INFO" and lines[0]["process"] == "web" and lines[0]["time"].endswith("+00:00")


def test_the_engine_logs_no_line_per_task_state_but_its_warnings_and_debug_when_asked(json_log):
    """Issue 13: SpiffWorkflow's INFO line per task state change cost each completion about twenty log writes."""
    logging.getLogger("spiff.task").info("State changed to READY")
    logging.getLogger("spiff.workflow").warning("a real problem")
    assert [json.loads(line)["message"] for line in json_log.getvalue().splitlines()] == ["a real problem"]
    configure_logging("json", "DEBUG", "web", stream=json_log)
    logging.getLogger("spiff.task").info("State changed to READY")
    assert json.loads(json_log.getvalue().splitlines()[-1])["message"] == "State changed to READY"
