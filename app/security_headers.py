"""Security headers on every response: CSP with a per-request nonce, no framing, HSTS behind HTTPS, private files.

Pages load scripts and styles from /static only. An inline <script> or <style> runs only with the
request's nonce (`{{ csp_nonce() }}` in a template); inline event handlers (onclick=…) and style
attributes never run, so a string that slipped into a page unescaped cannot act. Uploaded files get a
policy of their own (`sandboxed_file`): a document that may not run anything even opened on its own.
"""

import secrets

from flask import Flask, Response, current_app, g, has_request_context
from flask_wtf.csrf import generate_csrf

# No inline style attributes either: CSS injected into a page can still read attribute values (the CSRF
# token) through selectors, and the two the templates had are classes now.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# An upload shown on its own: nothing loads, nothing runs (sandbox: a unique origin, no scripts, no forms).
FILE_POLICY = "default-src 'none'; sandbox"
# One year; not includeSubDomains: other hosts of the association's domain are not ours to commit to HTTPS.
HSTS = "max-age=31536000"


def csp_nonce() -> str:
    """This request's nonce, made on first use; a template writes `<script nonce="{{ csp_nonce() }}">`."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


class _PageCsrfToken:
    """`csrf_token()` for one page: Flask-WTF's token at the first call, the same string at the others. A page writes
    it in every form (the inbox's header and filters: 17 times), and each generate_csrf call looked its settings, the
    session and `g` up again (issue 15)."""

    __slots__ = ("_token",)

    def __init__(self) -> None:
        self._token: str | None = None

    def __call__(self) -> str:
        if self._token is None:
            self._token = generate_csrf()
        return self._token


def private_file(response: Response) -> Response:
    """A person's file (attachment, photo, certificate): kept by no cache, not even the browser's."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    return response


def sandboxed_file(response: Response) -> Response:
    """An uploaded file: private, and never a document that can run script or be read as HTML."""
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return private_file(response)


def install_security_headers(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.context_processor
    def _csrf_token() -> dict[str, object]:
        # over Flask-WTF's global csrf_token (its generate_csrf), in pages rendered in a request
        return {"csrf_token": _PageCsrfToken()} if has_request_context() else {}

    @app.before_request
    def _fresh_nonce() -> None:
        g.pop("csp_nonce", None)  # g can outlive a request (an app context pushed around several)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        # uploads are served inline: the browser must trust our sniffed type, never guess its own
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Content-Security-Policy", PAGE_POLICY.format(nonce=csp_nonce()))
        headers["X-Frame-Options"] = "DENY"  # browsers that predate frame-ancestors
        headers["Referrer-Policy"] = "same-origin"  # task and file ids stay out of other sites' logs
        if current_app.config.get("SESSION_COOKIE_SECURE"):  # MEMBERFLOW_HTTPS=1
            headers["Strict-Transport-Security"] = HSTS
        return response
