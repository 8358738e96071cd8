"""memberflow: the application factory."""

from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import clock
from app.config import ROOT, Config, development_defaults_in, normalize_settings
from app.extensions import csrf, db, login_manager, migrate
from app.routing import IdConverter


def create_app(config: type[Config] = Config) -> Flask:
    app = Flask(__name__)
    app.url_map.converters["int"] = IdConverter  # before any route is added: every <int:…> is bounded
    app.config.from_object(config)
    normalize_settings(app.config)
    unsafe = development_defaults_in(app.config)
    if unsafe and not app.testing and app.config["MEMBERFLOW_ENV"] != "development":
        raise RuntimeError("refusing to start in production with development settings: " + "; ".join(unsafe))
    Path(app.config["MEMBERFLOW_STORAGE_DIR"]).mkdir(parents=True, exist_ok=True)
    if app.config["MEMBERFLOW_PROXY_COUNT"]:  # trust X-Forwarded-* from exactly that many proxies in front
        n = app.config["MEMBERFLOW_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))  # `flask db …`, from any directory
    from app.i18n import install_i18n

    install_i18n(app)  # `_()` in every template and flask_babel.gettext in Python
    from app.template_urls import install_template_urls

    install_template_urls(app)

    from app import models  # noqa: F401  (registers every table)
    from app.engine import specs
    from app.errorpages import install_error_pages
    from app.logs import install_logging, install_request_ids
    from app.security_headers import install_security_headers
    from app.transaction import install_postgresql_settings, install_sqlite_pragmas, install_transaction_boundary

    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_postgresql_settings(db.engine)
    install_request_ids(app)  # first: every later before_request handler may log
    if not app.testing:  # the tests keep pytest's log capture
        install_logging(app, process="web")
    install_transaction_boundary(app)
    install_error_pages(app)
    install_security_headers(app)
    specs.init_app(app)
    from app.workflow import live

    live.init_app(app)  # the worker's live workflows (issue 13)
    # domain modules that register BPMN service operations and eligibility facts
    from app.accounts import firm_admin as _firm_admin  # noqa: F401
    from app.accounts.binding_views import bp as binding_bp
    from app.accounts.firm_views import bp as firm_admin_bp
    from app.accounts.identity_choice import install_identity_context
    from app.accounts.identity_views import bp as identity_bp
    from app.accounts.limits import install_rate_limits
    from app.accounts.rights import install_rights_check
    from app.accounts.token_views import bp as tokens_bp
    from app.accounts.views import bp as accounts_bp
    from app.admin.export_views import bp as exports_bp
    from app.admin.import_views import bp as imports_bp
    from app.admin.incidents import bp as incidents_bp
    from app.admin.record_views import bp as records_bp
    from app.admin.views import bp as admin_bp
    from app.api import bp as api_bp
    from app.api.auth import install_token_scope
    from app.api.docs import bp as api_docs_bp
    from app.auctioneers import services as _auctioneers  # noqa: F401
    from app.auctioneers.views import bp as auctioneers_bp
    from app.auctioneers.views import install_auctioneer_menu
    from app.certificates import seal_offer as _seal_offer  # noqa: F401
    from app.certificates.views import bp as certificates_bp
    from app.decisions.views import bp as decisions_bp
    from app.decisions.views import install_decision_pages
    from app.editors.views import bp as editors_bp
    from app.files.views import bp as files_bp
    from app.health import bp as health_bp
    from app.members import admission as _admission  # noqa: F401
    from app.members import association_transfer as _association_transfer  # noqa: F401
    from app.members import dues_payment as _dues_payment  # noqa: F401
    from app.members import exam_photo as _exam_photo  # noqa: F401
    from app.members import id_change as _id_change  # noqa: F401
    from app.members import lifecycle as _lifecycle  # noqa: F401
    from app.members import services as _members  # noqa: F401
    from app.members import transfers as _transfers  # noqa: F401
    from app.members.center_views import bp as center_bp
    from app.migration.views import bp as migration_bp
    from app.notify.hooks import install_notifications
    from app.notify.views import bp as notify_bp
    from app.notify.views import install_bell
    from app.organizations import filing_people as _filing_people  # noqa: F401
    from app.organizations import firm_change as _firm_change  # noqa: F401
    from app.organizations import services as _organizations  # noqa: F401
    from app.organizations.societies import install_branding
    from app.organizations.views import bp as organizations_bp
    from app.payments.views import bp as payments_bp
    from app.scenarios.views import bp as scenarios_bp
    from app.workbench import live as workbench_live
    from app.workbench.api import bp as workbench_api_bp
    from app.workbench.views import bp as workbench_bp
    from app.workflow.choice_views import bp as choices_bp
    from app.workflow.dashboard_views import bp as workload_bp
    from app.workflow.views import bp as workflow_bp

    ZoneInfo(app.config["MEMBERFLOW_TIMEZONE"])  # a mistyped zone stops the start, not the first page
    app.add_template_filter(clock.format_local, "local")

    from app.cli import memberflow

    app.cli.add_command(memberflow)
    install_token_scope(app)  # before anything reads current_user
    install_rights_check(app)
    install_rate_limits(app)
    install_identity_context(app)
    install_branding(app)
    install_auctioneer_menu(app)
    install_decision_pages(app)
    install_bell(app)
    install_notifications(app)
    workbench_live.install_catalog_refresh(app)
    for bp in (
        accounts_bp,
        identity_bp,
        binding_bp,
        firm_admin_bp,
        admin_bp,
        incidents_bp,
        imports_bp,
        exports_bp,
        records_bp,
        workflow_bp,
        choices_bp,
        workload_bp,
        certificates_bp,
        files_bp,
        api_bp,
        api_docs_bp,
        tokens_bp,
        center_bp,
        health_bp,
        organizations_bp,
        payments_bp,
        auctioneers_bp,
        decisions_bp,
        scenarios_bp,
        editors_bp,
        notify_bp,
        workbench_bp,
        workbench_api_bp,
        migration_bp,
    ):
        app.register_blueprint(bp)
    if not app.testing:  # the tests start from empty tables and import what they need themselves
        workbench_live.start(app)  # file versions the catalog never saw become live; then run the live ones
    return app
