"""The README's settings table lists every environment variable the code and the scripts read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = re.compile(r"""os\.environ(?:\.get\(|\.setdefault\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
SHELL = re.compile(r"\$\{([A-Z][A-Z0-9_]+):[-=]")
# set by the scripts for the commands they run, or by the OS: not settings anyone chooses
NOT_SETTINGS = {"EUID", "TMPDIR"}


def read_variables() -> set[str]:
    found = set()
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "migrations").rglob("*.py"), ROOT / "gunicorn.conf.py"]:
        found |= set(PYTHON.findall(path.read_text()))
    for path in (ROOT / "scripts").iterdir():
        if path.is_file():
            found |= set((PYTHON if path.suffix == ".py" else SHELL).findall(path.read_text()))
    return found - NOT_SETTINGS


def test_every_variable_read_is_in_the_readme_settings_table():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Settings") :].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    variables = read_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "MEMBERFLOW_PROXY_COUNT", "MEMBERFLOW_PORT"} <= variables
    assert variables - listed == set()
