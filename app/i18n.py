"""Languages: Chinese (the default, and the source text of every message) and English.

Text is written in Chinese and marked for translation: `_('…')` in templates, `gettext`/`lazy_gettext` from
flask_babel in Python. `scripts/i18n update` collects the marked strings (babel.cfg) into
translations/en/LC_MESSAGES/messages.po, the English catalog; README: Languages.

The language shown is the one the person chose with the switch in the page header: stored on the account when
logged in (it follows them to another browser), in a cookie otherwise; else the browser's Accept-Language;
else Chinese.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, g, has_app_context, redirect, request
from flask_babel import get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.extensions import babel, db
from app.i18n_catalog import RULE_TEMPLATE_CONTEXT

DEFAULT_LOCALE = "zh"
LOCALES = ("zh", "en")
# each language's name in itself: the switch shows them untranslated, so that anyone finds their own
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}
COOKIE = "memberflow_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


def N_(text: str) -> str:  # noqa: N802  (the name pybabel looks for)
    """Marks a constant for the catalog without translating it here: a label defined at import time is
    translated where it is shown (`|tr` in templates, `gettext(label)` in Python), in that page's language."""
    return text


def translate_data(text: object) -> object:
    """`|tr`: a Chinese text that comes as data and may be a catalog msgid — a marked label, a process or
    step name from the BPMN files, an application title made of a process name and the applicant's name
    ("入会申请（张三）"), several step names joined with "、". Anything else (names of people and
    organisations) comes back unchanged."""
    if not isinstance(text, str) or not text:
        return text
    catalog = page_translations()
    if not catalog._catalog and catalog._fallback is None:  # Chinese: the texts are the catalog's own msgids
        return text
    translated = catalog.ugettext(text)
    if translated != text:
        return translated
    reason = _rule_reason(catalog, text)
    if reason is not None:
        return reason
    titled = _TITLE.fullmatch(text)
    if titled:
        pattern = catalog.ugettext("%(process)s（%(applicant)s）")
        return pattern % {"process": catalog.ugettext(titled[1]), "applicant": titled[2]}
    if "、" in text:
        return catalog.ugettext("、").join(catalog.ugettext(part) for part in text.split("、"))
    return text


def page_translations() -> Any:
    """The catalog of the language being written in, found once per request and language: Flask-Babel's own
    gettext looks up the context, domain, locale and its cache again for every string, which was a fifth of
    GET /inbox's time (a list page translates a few hundred strings)."""
    if not has_app_context():
        return get_translations()
    cached = g.get("_page_translations")
    # Flask-Babel keeps the chosen (or forced) locale on g._flask_babel: the same object means the same catalog
    known = getattr(g.get("_flask_babel"), "babel_locale", None)
    if cached is not None and known is not None and cached[0] is known:
        return cached[1]
    locale = get_locale()
    if cached is None or cached[0] is not locale:
        cached = (locale, get_translations())
        g._page_translations = cached
    return cached[1]


_TITLE = re.compile(r"(.+)（([^（）]+)）")
_PLACEHOLDER = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)s")


def _rule_reason(catalog: Any, text: str) -> str | None:
    """A reason a DMN table wrote with the person's facts (an f-string cell, catalogued as a template under the
    context "dmn", app/i18n_catalog.py): the English template with the same facts, each fact translated in turn
    (a process name). None when no template made this text."""
    templates = _rule_templates(catalog)
    for msgid, pattern in templates.get(text[:2], ()) + templates.get("", ()):
        found = pattern.fullmatch(text)
        if found:
            facts = {name: translate_data(value) for name, value in found.groupdict().items()}
            return str(catalog.upgettext(RULE_TEMPLATE_CONTEXT, msgid) % facts)
    return None


def _rule_templates(catalog: Any) -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """The catalog's rule templates as patterns, by their first two characters ("" when a fact comes first), made
    once per catalog object: a list page tries every person's name here."""
    known = getattr(catalog, "_memberflow_rule_templates", None)
    if known is not None:
        return known
    prefix = RULE_TEMPLATE_CONTEXT + "\x04"
    grouped: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for key in getattr(catalog, "_catalog", {}):
        if isinstance(key, str) and key.startswith(prefix):
            msgid = key[len(prefix) :]
            parts = _PLACEHOLDER.split(msgid)  # literal, name, literal, name, …
            pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
            start = parts[0][:2] if len(parts[0]) >= 2 else ""
            grouped.setdefault(start, []).append((msgid, re.compile(pattern, re.DOTALL)))
    known = {start: tuple(items) for start, items in grouped.items()}
    catalog._memberflow_rule_templates = known
    return known


def select_locale() -> str:
    if not request:
        return DEFAULT_LOCALE
    chosen = _account_locale()
    if chosen:
        return chosen
    if request.cookies.get(COOKIE) in LOCALES:
        return str(request.cookies[COOKIE])
    return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE) or DEFAULT_LOCALE


def _account_locale() -> str | None:
    """The logged-in person's choice, once Flask-Login has loaded them (the rights check does, before any
    page is made). Choosing must not load the user itself: loading may need a translated text (API Basic
    auth refusing a password), and a second load would count the wrong password twice."""
    user = g.get("_login_user")
    locale = getattr(user, "locale", None) if user is not None and user.is_authenticated else None
    return str(locale) if locale in LOCALES else None


@bp.post("/language")
def choose_language() -> Response:
    """The header switch: remember the choice (account and cookie) and go back to the page it was made on."""
    locale = request.form.get("locale", "")
    back = _same_site_path(request.form.get("next") or request.referrer or "/")
    response = redirect(back)
    if locale not in LOCALES:
        return response
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.flush()
    response.set_cookie(COOKIE, locale, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure, httponly=True)
    return response


def _same_site_path(url: str) -> str:
    """Only a path on this site: the switch must not become an open redirect."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return path + (f"?{parts.query}" if parts.query else "")


def current_locale() -> str:
    """The language of the page being made ("zh" outside a request: the scheduler, the CLI)."""
    if not request:
        return DEFAULT_LOCALE
    return str(get_locale() or DEFAULT_LOCALE)


def _language_context() -> dict[str, object]:
    locale = current_locale()
    return {
        "html_lang": HTML_LANG.get(locale, locale),
        "current_locale": locale,
        "language_names": LANGUAGE_NAMES,
        _PAGE_TEXTS: _finished_texts(page_translations()),
    }


# A template's texts without variables, finished (translated, made Markup where autoescaped, `%` applied), per
# catalog: a page writes about sixty and making each again was a quarter of the inbox page's rendering (issue 15).
# Keyed by the catalog object, held here so that its id is not reused; bounded, since `_(name)` may take data and
# each app (the tests make hundreds) has catalogs of its own. A page rendered by Flask finds its catalog's texts in
# its context (put there with the language, once per render); other renders look the catalog up per call.
_FINISHED: dict[int, tuple[Any, dict[tuple[str, bool], str]]] = {}
_MAX_FINISHED = 4096
_MAX_CATALOGS = 8
_PAGE_TEXTS = "_memberflow_page_texts"


def _finished_texts(catalog: Any) -> tuple[Any, dict[tuple[str, bool], str]]:
    held = _FINISHED.get(id(catalog))
    if held is None or held[0] is not catalog or len(held[1]) >= _MAX_FINISHED:
        if len(_FINISHED) >= _MAX_CATALOGS:
            _FINISHED.clear()
        held = _FINISHED[id(catalog)] = (catalog, {})
    return held


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    catalog, texts = context.get(_PAGE_TEXTS) or _finished_texts(page_translations())
    autoescape = context.eval_ctx.autoescape
    if variables:
        return _finish(catalog, string, autoescape, variables)
    text = texts.get((string, autoescape))
    if text is None:
        text = texts[(string, autoescape)] = _finish(catalog, string, autoescape, {})
    return text


def _finish(catalog: Any, string: str, autoescape: bool, variables: dict[str, Any]) -> str:
    translated = catalog.ugettext(string)
    if autoescape:
        translated = Markup(translated)
    return translated % variables  # type: ignore[no-any-return]


def install_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale in `g`, which outlives a request when an app context was already pushed
    # (the scheduler's, the tests'): each request chooses again
    app.before_request(refresh)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # Flask-Babel's, via page_translations
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # `_()` and `gettext()` of the templates in one call instead of Jinja's three nested ones (alias → new-style
    # wrapper → function): a page translates about 60 texts and the nesting was three quarters of each one's cost
    # (issue 13). The same new-style behaviour: escaped variables, `%` formatting always, Markup where autoescaped.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext
    app.context_processor(_language_context)
    app.add_template_filter(translate_data, "tr")
    from app.engine.xml_errors import explain

    app.add_template_filter(explain, "xml_error")  # an analyst's BPMN/DMN that fails to parse
    app.register_blueprint(bp)
