"""The API documentation page: Swagger UI served from this server (no CDN), under the site's strict CSP."""

import re


def test_the_docs_page_loads_swagger_ui_from_this_server_without_inline_script(client, world):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources)  # nothing from another host
    assert "<script>" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    policy = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "script-src 'self' 'nonce-" in policy
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    for source in (s for s in sources if s.endswith((".js", ".css", ".png"))):
        assert client.get(source).status_code == 200, source


def test_only_the_pages_own_swagger_files_are_served(client):
    assert client.get("/api/docs/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/docs/swagger-ui/index.html").status_code == 404
    assert client.get("/api/docs/swagger-ui/..%2F__init__.py").status_code == 404


def test_the_footer_links_the_docs_and_the_document_names_bearer_tokens(client, world):
    assert 'href="/api/docs"' in client.get("/login").get_data(as_text=True)
    schemes = client.get("/api/v1/openapi.json").json["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "description": "个人 API 令牌"}
