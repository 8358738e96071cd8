"""The scenario runner's own checks (issue 18 item 3): bad files are refused with the line; wrong expectations fail."""

from pathlib import Path

import pytest

from app.engine.specs import catalog
from app.scenarios.runner import run_scenario
from app.scenarios.spec import ScenarioError, load_scenarios

GOOD = """process: resign
scenarios:
  - name: 代管会员
    rules: [R-RES-2]
    given: {applicant: "13800000035", today: 2026-06-01}
    steps:
      - start: {}
      - complete: Task_Apply
        data: {resignation_letter: $upload, confirm: true}
    expect:
      open_task: Task_LocalReview
"""


def load(text):
    return load_scenarios(Path("resign.yaml"), catalog(), text)


@pytest.mark.parametrize(
    ("broken", "line", "says"),
    [
        (GOOD.replace("complete: Task_Apply", "complete: Task_Aply"), 8, "没有任务 'Task_Aply'"),
        (GOOD.replace("confirm: true", "confirmed: true"), 9, "的表单没有字段 'confirmed'"),
        (GOOD.replace("today: 2026-06-01", "today: 2026-13-01"), 5, "日期格式有误 '2026-13-01'"),
        (GOOD.replace("today: 2026-06-01", "today: 1.6.2026"), 5, "日期格式有误"),
        (GOOD.replace("process: resign", "process: resignation"), 1, "未知的流程"),
        (GOOD.replace("    expect:", "    expected:"), 10, "未知的键 'expected'"),
        (GOOD.replace("[R-RES-2]", "[RES-2]"), 4, "不是规则编号"),
        (GOOD.replace("steps:", "steps: ["), 7, "不是有效的 YAML"),
    ],
)
def test_a_bad_file_is_refused_with_its_line(world, broken, line, says):
    with pytest.raises(ScenarioError) as err:
        load(broken)
    assert (err.value.file, err.value.line) == ("resign.yaml", line) and says in err.value.message


def test_a_good_file_runs(world):
    (scenario,) = load(GOOD)
    run_scenario(scenario, world)


def test_a_wrong_expectation_fails_with_its_line(world):
    (scenario,) = load(GOOD.replace("open_task: Task_LocalReview", "open_task: Task_FirmOpinion"))
    with pytest.raises(ScenarioError) as err:
        run_scenario(scenario, world)
    assert err.value.line == 11 and "待办任务为 'Task_LocalReview'" in err.value.message


def test_a_step_the_process_does_not_reach_fails_with_its_line(world):
    text = GOOD.replace("    expect:", "      - complete: Task_FirmOpinion\n        by: firm_reviewer\n    expect:")
    (scenario,) = load(text)
    with pytest.raises(ScenarioError) as err:
        run_scenario(scenario, world)
    assert err.value.line == 10 and "预期待办任务 Task_FirmOpinion，实际为 Task_LocalReview" in err.value.message
