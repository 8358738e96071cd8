"""Logs: a request id on every request (X-Request-Id honoured or made, echoed back) and in every log line
written while it runs; text or JSON lines (`MEMBERFLOW_LOG_FORMAT`)."""

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import IO

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-Id"
# a proxy's or load balancer's id is kept when it is a plain token; anything else (a log-injection attempt) is replaced
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(process_name)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
# SpiffWorkflow logs every task state change at INFO (about twenty lines per task completion, each formatted and
# written by the request): engine chatter, not operations. Its warnings and errors still pass; at DEBUG it all does.
CHATTY_LOGGERS = ("spiff",)


def request_id() -> str:
    return g.get("request_id", "-") if has_request_context() else "-"


class RequestContextFilter(logging.Filter):
    """Adds `request_id` (and the process kind) to every record, so any formatter can print them."""

    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        record.process_name = self.process_name
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object a line, a fixed set of keys: what a log shipper (Loki, ELK, CloudWatch) indexes."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": getattr(record, "process_name", "-"),
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(log_format: str, level: str, process: str, stream: IO[str] | None = None) -> logging.Handler:
    """The root logger's one handler, in the chosen format, with the request id on every line."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestContextFilter(process))
    handler.setFormatter(JsonLineFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if root.level <= logging.DEBUG else logging.WARNING)
    return handler


def install_logging(app: Flask, process: str) -> None:
    configure_logging(app.config["MEMBERFLOW_LOG_FORMAT"], app.config["MEMBERFLOW_LOG_LEVEL"], process)


def install_request_ids(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def _echo(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        return response
