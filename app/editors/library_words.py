"""The editor libraries' own words in the reader's language: bpmn-js and dmn-js write English and ask their
`translate` service for every word they show; the editor page hands them these (data-words, read by
app/static/workbench/editor-api.js), keyed by the library's English. English pages keep the libraries' own words.
"""

from flask_babel import get_locale, gettext

from app.editors.bpmn_panel_words import BPMN_PANEL_WORDS
from app.editors.bpmn_words import BPMN_WORDS
from app.editors.dmn_words import DMN_WORDS

WORDS = {"bpmn": {**BPMN_WORDS, **BPMN_PANEL_WORDS}, "dmn": DMN_WORDS}


def library_words(kind: str) -> dict[str, str]:
    """The editor library's English → the reader's language; empty on English pages and for editors of our own."""
    locale = get_locale()
    if locale is not None and locale.language == "en":
        return {}
    return {english: gettext(word) for english, word in WORDS.get(kind, {}).items()}
