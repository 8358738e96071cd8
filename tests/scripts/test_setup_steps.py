"""The shell entry points set up what they need on a fresh machine (CI and a new developer start from a clean one)."""

from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.mark.parametrize("name", ["run", "test", "bench", "load"])
def test_a_script_that_loads_the_demo_world_installs_the_cjk_font_first(name: str) -> None:
    # the demo world draws sample signatures and seals with the CJK font (app/certificates/samples.py): without
    # it, `scripts/bench` stopped at "OSError: cannot open resource" on a fresh machine (2026-12-06)
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    assert "memberflow_ensure_cjk_font" in text.split("exec ", 1)[0].split('"$VENV_PY"', 1)[0]
