"""`url_for` in templates, remembered per worker: the same link in the same place is built by Werkzeug once.

Every page's header writes about thirty links that are the same on every request (the menu, the scripts, the
forms' actions); building each one through Flask and Werkzeug's rule matching was a fifth of the inbox page's
rendering (issue 15). Flask's `url_for` stays the one source of routes: a link is remembered only as Flask built
it, keyed by everything that goes into building it inside a request — the request's script root and host, the
blueprint a relative endpoint ("." + name) resolves against, the endpoint and its values in order (Werkzeug keeps
that order in the query string), each with its type (1, 1.0 and True are one key to a dict but three links).
Calls that are not plain — outside a request, `_external`, `_anchor` and the other `_` options, values that cannot
be a key, an app with URL defaults functions — go straight to Flask.
The request's part of the key (script root and host) is read once per page, by a context processor: read through
Flask's request proxy at each of a page's thirty links it was most of a remembered link's cost (issue 15); a
template that does not get the page's context (a macro imported without it) builds its links through Flask.
"""

from functools import lru_cache
from typing import Any

from flask import Flask, has_request_context, request
from jinja2 import pass_context
from jinja2.runtime import Context

# distinct links remembered: the menus and the forms' actions of all pages, plus ids in the lists they show
MAX_LINKS = 4096
_ROOT = "_memberflow_url_root"  # the page's context: (script root, host) of the request it is made in


def install_template_urls(app: Flask) -> None:
    build = app.url_for

    @lru_cache(maxsize=MAX_LINKS)
    def remembered(
        _root: str, _host: str, _blueprint: str | None, endpoint: str, values: tuple[tuple[str, type, Any], ...]
    ) -> str:
        return build(endpoint, **{name: value for name, _type, value in values})

    @pass_context
    def url_for(context: Context, endpoint: str, **values: Any) -> str:
        root = context.get(_ROOT)
        if root is None or app.url_default_functions or (values and any(k[:1] == "_" for k in values)):
            return build(endpoint, **values)
        blueprint = request.blueprint if endpoint[:1] == "." else None
        try:
            return remembered(root[0], root[1], blueprint, endpoint, tuple((k, type(v), v) for k, v in values.items()))
        except TypeError:  # a value that is not hashable (a list for a repeated query parameter)
            return build(endpoint, **values)

    @app.context_processor
    def _url_root() -> dict[str, object]:
        return {_ROOT: (request.root_path, request.host)} if has_request_context() else {}

    app.jinja_env.globals["url_for"] = url_for
