"""Draft DMN tables an analyst uploads or pastes: parsed and checked exactly as the loader checks published ones."""

from pathlib import Path
from typing import Any

from app.engine.spec_files import SpecProblem, parse_xml_bytes, problem
from app.engine.specs import decision_version, parse_decisions


class DraftProblem(Exception):
    """The draft cannot be used: the file, line and reason, as for a published file."""

    def __init__(self, problem: SpecProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def load_draft_decision(raw: bytes, filename: str = "draft.dmn") -> tuple[dict[str, Any], str]:
    """The draft's decision tables by id, and its version (content hash, as for published files)."""
    try:
        return parse_decisions(parse_xml_bytes(raw, filename), filename), decision_version(raw)
    except Exception as err:  # XML syntax, XSD validation, a broken cell: each reported with its line
        raise DraftProblem(problem(Path(filename), err)) from err
