"""The editor pages' tests use the workbench's: an analyst logged in, the catalog holding the project's files."""

from tests.workbench.conftest import analyst, analyst_client, catalog_started  # noqa: F401
