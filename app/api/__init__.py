"""JSON API /api/v1: the blueprint, its authentication, and one module per resource."""

from app.api import auth, files, instances, openapi, processes, tasks  # noqa: F401  (each registers on bp)
from app.api.views import bp

__all__ = ["bp"]
