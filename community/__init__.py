"""Leerkring: closed learning communities for the G32/G40 cities and their partners."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from community import config as settings
from community.errors import ReferencedErrorsFlask
from community.extensions import babel, csrf, db, limiter, login_manager, migrate
from community.pagination import IdConverter
from community.request_limits import LeerkringRequest

PACKAGE = os.path.dirname(os.path.abspath(__file__))
SOURCE_TREE = os.path.dirname(PACKAGE)


def site_root() -> str:
    """Where `templates/`, `static/` and `migrations/` are: the source tree when the app
    runs from it, else the copy the build put into the installed package (setup.py)."""
    if os.path.isdir(os.path.join(SOURCE_TREE, "templates")):
        return SOURCE_TREE
    return os.path.join(PACKAGE, "site")


ROOT = site_root()


def _default_instance() -> str:
    if ROOT == SOURCE_TREE:
        return os.path.join(ROOT, "instance")
    return os.path.join(sys.prefix, "var", "leerkring-instance")  # as Flask does when installed


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The one constructor: settings from the environment, overridden by `config`."""
    app = ReferencedErrorsFlask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
        instance_path=os.environ.get("LEERKRING_INSTANCE") or _default_instance(),
    )
    app.request_class = LeerkringRequest
    app.url_map.converters["int"] = IdConverter
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    settings.finish(app.config, app.instance_path)
    os.makedirs(app.instance_path, exist_ok=True)

    register_extensions(app)
    from community import transaction

    transaction.init_app(app)  # first: its after_request runs last, after every other one
    register_blueprints(app)

    from community import (
        assets,
        cli,
        compression,
        errors,
        mail,
        malware_scan,
        rate_limits,
        request_log,
        security,
        templating,
    )

    request_log.init_app(app)  # first: the request id is there for every later hook

    security.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    cli.init_app(app)
    rate_limits.init_app(app)
    malware_scan.init_app(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXY_COUNT` proxies, take the client's address, scheme and host from
    the headers those proxies set, and only from them (werkzeug's ProxyFix counts hops from
    the right, so an X-Forwarded-For a client made up is left of what nginx appends)."""
    count = app.config["TRUSTED_PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )


def register_extensions(app: Flask) -> None:
    from community import i18n, search_ddl
    from community.sqlite import enable_sqlite_foreign_keys

    search_ddl.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=os.path.join(PACKAGE, "translations"),
    )
    limiter.init_app(app)
    with app.app_context():
        enable_sqlite_foreign_keys(db.engine)


def register_blueprints(app: Flask) -> None:
    from community.accounts.views import bp as accounts_bp
    from community.admin.views import bp as admin_bp
    from community.approaches import notification_kinds as approach_kinds  # noqa: F401
    from community.approaches.views import bp as approaches_bp
    from community.cases import notification_kinds as case_kinds  # noqa: F401 - registers kinds
    from community.cases.contribution_views import bp as contributions_bp
    from community.cases.file_views import bp as files_bp
    from community.cases.views import bp as cases_bp
    from community.communities import notification_kinds  # noqa: F401 - registers kinds
    from community.communities.member_views import bp as members_bp
    from community.communities.views import bp as communities_bp
    from community.meetings import notification_kinds as meeting_kinds  # noqa: F401
    from community.meetings.views import bp as meetings_bp
    from community.moderation import notification_kinds as moderation_kinds  # noqa: F401
    from community.moderation.views import bp as moderation_bp
    from community.notifications.views import bp as notifications_bp
    from community.pages.search_views import bp as search_bp
    from community.pages.views import bp as pages_bp

    for blueprint in (
        pages_bp,
        accounts_bp,
        admin_bp,
        communities_bp,
        members_bp,
        notifications_bp,
        cases_bp,
        contributions_bp,
        files_bp,
        approaches_bp,
        meetings_bp,
        search_bp,
        moderation_bp,
    ):
        app.register_blueprint(blueprint)
