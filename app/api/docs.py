"""The API documentation page (/api/docs): Swagger UI over /api/v1/openapi.json, served from this server.

Swagger UI's files come from the swagger-ui-bundle package (no CDN); the page starts it from a static
script of ours, so the site's Content-Security-Policy (no inline script) holds here too.
"""

from flask import Blueprint, abort, make_response, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from werkzeug import Response

from app.security_headers import PAGE_POLICY, csp_nonce

bp = Blueprint("api_docs", __name__, url_prefix="/api/docs")
# the only files of the bundle the page loads; nothing else of the package directory is served
SWAGGER_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
# the site's policy, except that Swagger UI's stylesheet draws its icons as data: SVG images (no script in those)
DOCS_POLICY = PAGE_POLICY.replace("img-src 'self'", "img-src 'self' data:")


@bp.get("")
def page() -> Response:
    response = make_response(render_template("api/docs.html"))
    response.headers["Content-Security-Policy"] = DOCS_POLICY.format(nonce=csp_nonce())
    return response


@bp.get("/swagger-ui/<name>")
def swagger_file(name: str) -> Response:
    if name not in SWAGGER_FILES:
        abort(404)
    return send_from_directory(str(swagger_ui_path), name, max_age=86400)
