"""Languages: Chinese (the default, and the source text of every message) and English.

Text is written in Chinese and marked for translation: `_('…')` in templates, `gettext`/`lazy_gettext` from
flask_babel in Python. `pybabel extract` collects the marked strings; translations/ holds the English catalog.
"""

from flask import Flask

from app.extensions import babel

DEFAULT_LOCALE = "zh"
LOCALES = ("zh", "en")


def select_locale() -> str:
    return DEFAULT_LOCALE


def install_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
