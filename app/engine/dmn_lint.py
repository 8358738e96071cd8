"""What the DMN parser does not check but a decision needs: every table answers every case (a catch-all row)."""

from typing import Any

from app.engine.spec_files import SpecProblem


def catch_all_problems(tree: Any, filename: str) -> list[SpecProblem]:
    """A decision table whose rows may all miss leaves the process without an answer at run time: its last row
    must match anything (every input entry "-" or empty)."""
    problems = []
    for table in tree.iter("{*}decisionTable"):
        rules = table.findall("{*}rule")
        if not rules:
            message = f"决策表 {table.get('id')} 没有任何规则行"
            problems.append(SpecProblem(filename, table.sourceline, message, table.get("id")))
            continue
        last = rules[-1]
        entries = [(entry.findtext("{*}text") or "").strip() for entry in last.findall("{*}inputEntry")]
        if any(entry not in ("", "-") for entry in entries):
            decision = table.getparent()
            message = f"决策表 {decision.get('id')} 缺少兜底规则（最后一行的条件须全部为 “-”，任何情况都有结论）"
            problems.append(SpecProblem(filename, last.sourceline, message, last.get("id")))
    return problems
