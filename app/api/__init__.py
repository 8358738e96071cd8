"""JSON API /api/v1."""

from app.api.views import bp

__all__ = ["bp"]
