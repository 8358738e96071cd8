"""The English catalog is complete and the compiled .mo the app reads is the one the .po says (issue 10 item 4)."""

import io
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.i18n_catalog import CATALOG, untranslated

ROOT = Path(__file__).resolve().parents[2]


def read_catalog(path: Path = CATALOG):
    with path.open("rb") as f:
        return read_po(f)


def test_every_msgid_has_an_english_text_and_none_is_fuzzy():
    assert untranslated() == []


def test_an_empty_or_fuzzy_translation_is_reported(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text('msgid "保存"\nmsgstr ""\n\n#, fuzzy\nmsgid "删除"\nmsgstr "Delete"\n\nmsgid "是"\nmsgstr "Yes"\n')
    assert untranslated(po) == ["保存", "删除"]


def test_the_committed_mo_is_compiled_from_the_po():
    """The app reads messages.mo; after editing messages.po run `scripts/i18n compile`."""
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog())
    assert CATALOG.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run scripts/i18n compile"


def test_every_marked_string_is_in_the_catalog(tmp_path):
    """A string marked with _() since the last `scripts/i18n update` would show in Chinese on English pages."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "--omit-header", "-o", pot, "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        marked = {m.id for m in read_po(f) if m.id}
    missing = marked - {m.id for m in read_catalog()}
    assert not missing, "run scripts/i18n update and translate:\n" + "\n".join(sorted(map(str, missing)))
