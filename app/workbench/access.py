"""Who reaches the workbench's pages and APIs (issue 17): analysts only (administrators hold the role too), and a
file a URL names (…/<kind>/<name>…) must be one the workbench stores — one guard for every workbench blueprint."""

from flask import Blueprint, request
from flask_login import current_user, login_required

from app.accounts.rights import require_analyst
from app.engine.spec_files import SCENARIO
from app.workbench import scenario_files
from app.workbench.catalog import check_file


def analysts_only(bp: Blueprint) -> None:
    """Every request of `bp`: logged in (else the login page), an analyst (else 403), and a known kind and file
    name when its URL has both (else 404, before the view runs)."""

    @bp.before_request
    @login_required
    def _analysts_only() -> None:
        require_analyst(current_user)
        args = request.view_args or {}
        if "kind" in args and "name" in args:
            check_file(args["kind"], args["name"])
            if args["kind"] == SCENARIO:  # another association's scenario is not found
                scenario_files.require_visible(current_user, args["name"])
