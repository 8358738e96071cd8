"""What the publish step asks before a process's files go live (issue 18): do its scenario files still pass against
the drafts? A failing scenario (or a draft the loader refuses) blocks publishing; the report says which and why."""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from app.engine.spec_files import SCENARIO, SCENARIO_SUFFIXES
from app.engine.specs import catalog
from app.scenarios.sandbox import ScenarioResult, run_files_in_sandbox
from app.scenarios.spec import ScenarioError, process_named


@dataclass(frozen=True)
class ScenarioReport:
    process_id: str
    files: list[str]  # the scenario files that ran (a drafted one in place of the published one)
    results: list[ScenarioResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # drafts refused by the loader, scenario files with errors
    seconds: float = 0.0

    @property
    def failed(self) -> list[ScenarioResult]:
        return [r for r in self.results if not r.passed]

    def lines(self) -> list[str]:
        """The report in the reader's language, a line per problem and failing scenario, then the count."""
        said = [*self.problems, *(failure_text(r) for r in self.failed)]
        if not self.files:
            said.append(_("流程 %(p)s 没有场景文件", p=self.process_id))
        else:
            passed = sum(r.passed for r in self.results)
            said.append(_("%(n)d 个场景中 %(p)d 个通过", n=len(self.results), p=passed))
        return said


def failure_text(result: ScenarioResult) -> str:
    """One failing scenario, each thing said once: file, line, the scenario's name, what differed."""
    where = _("%(f)s 第 %(n)s 行", f=result.file, n=result.line) if result.line else result.file
    return _("%(where)s · 场景「%(name)s」：%(error)s", where=where, name=result.name, error=result.error)


def published_scenarios() -> dict[str, str]:
    """The live scenario files (the workbench catalog's versions, else processes/tests/ as read at start)."""
    files = catalog().sources.files.get(SCENARIO, {})
    return {name: raw.decode("utf-8", "replace") for name, raw in sorted(files.items())}


def _scenario_sources(process_id: str, drafted: dict[str, str]) -> list[tuple[str, str]]:
    """The published scenario files of the process, a drafted file of the same name replacing its published one."""
    sources = published_scenarios()
    sources.update(drafted)
    return [(name, text) for name, text in sorted(sources.items()) if process_named(text) == process_id]


def scenarios_pass_for(process_id: str, draft_files: dict[str, bytes]) -> tuple[bool, ScenarioReport]:
    """Run every scenario file of `process_id` (the live scenario files naming it, or a drafted .yaml among
    `draft_files`) against the published files with the drafted BPMN/DMN/form files laid over them, in a throwaway
    database with its own clock. ok is False when any scenario fails or a draft does not load; a process with no
    scenario file passes (the report says there is none)."""
    scenarios = {n: c.decode("utf-8") for n, c in draft_files.items() if Path(n).suffix in SCENARIO_SUFFIXES}
    others = {n: c for n, c in draft_files.items() if n not in scenarios}
    sources = _scenario_sources(process_id, scenarios)
    if not sources:
        return True, ScenarioReport(process_id, [])
    files = [name for name, _text in sources]
    try:
        run = run_files_in_sandbox(sources, others)
    except ScenarioError as err:  # a scenario file that does not read (or a draft of an unknown kind)
        return False, ScenarioReport(process_id, files, problems=[str(err)])
    report = ScenarioReport(process_id, files, run.results, run.problems, run.seconds)
    return run.passed, report
