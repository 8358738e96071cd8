"""Absolute links (QR codes, SMS, face-check links) built from the public base URL, not the internal host name.

MEMBERFLOW_PUBLIC_URL (e.g. https://member.example.org, or with a path prefix) is what people reach; without
it a link is built from the request, which behind a proxy is right only with MEMBERFLOW_PROXY_COUNT set
(ProxyFix then reads X-Forwarded-Proto/Host).
"""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    public = current_app.config.get("MEMBERFLOW_PUBLIC_URL")
    if not public:
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(public)
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
