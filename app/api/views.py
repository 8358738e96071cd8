"""JSON API /api/v1 (resources are added per module)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
