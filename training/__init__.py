"""Peer support training and certification platform."""
from __future__ import annotations

from flask import Flask

from training.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI and error pages.

    `config` overrides values read from the environment (tests use it).
    """
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    settings = load_config()
    settings.update(config or {})
    # A pooled connection to a database server is tested before each request uses it, so a
    # restarted server costs no failed page; a SQLite file has no server to lose.
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                        {"pool_pre_ping": not settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")})
    app.config.update(settings)
    app.instance_path = app.config["INSTANCE_PATH"]

    from training import errors, extensions, inputs, responses, security
    from training.access import load_user
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.login_manager.user_loader(load_user)
    extensions.login_manager.login_view = "auth.login"
    extensions.login_manager.login_message = "Please sign in to see that page."
    extensions.login_manager.login_message_category = "info"
    security.init_app(app)
    responses.init_app(app)
    errors.init_app(app)
    inputs.init_app(app)  # before the blueprints: their <int:...> rules use its converter
    from training import jobs
    jobs.init_app(app)

    from training import models  # noqa: F401  (registers the tables)
    from training.certification import stored  # noqa: F401  (keeps stored standings up to date on every flush)
    from training.courses import revision  # noqa: F401  (changes the content revision with every content change)
    from training import audit  # noqa: F401  (records consequential changes in the audit log)
    from training import xapi  # noqa: F401  (writes xAPI statements about what trainees do)
    from training.account.views import bp as account_bp
    from training.audit.views import bp as audit_bp
    from training.auth.views import bp as auth_bp
    from training.authoring.views import bp as authoring_bp
    from training.certification.eligibilityviews import bp as eligibility_bp
    from training.certification.examviews import bp as exams_bp
    from training.certification.issuerviews import bp as issuer_bp
    from training.certification.recordviews import bp as records_bp
    from training.certification.staffviews import bp as certstaff_bp
    from training.certification.verifyviews import bp as verify_bp
    from training.certification.views import bp as certification_bp
    from training.courses.views import bp as courses_bp
    from training.dashboard.views import bp as dashboard_bp
    from training.labs.views import bp as labs_bp
    from training.notifications.views import bp as notifications_bp
    from training.personaldata.views import bp as personaldata_bp
    from training.quizzes.bankviews import bp as bank_bp
    from training.quizzes.examviews import bp as exam_bp
    from training.quizzes.views import bp as quizzes_bp
    from training.reports.views import bp as reports_bp
    from training.staff.views import bp as staff_bp
    from training.stories.views import bp as stories_bp
    from training.supervision.competencyviews import bp as competencies_bp
    from training.supervision.hoursviews import bp as hours_bp
    from training.supervision.views import bp as supervision_bp
    from training.xapi.views import bp as xapi_bp
    for blueprint in (auth_bp, account_bp, authoring_bp, dashboard_bp, courses_bp, quizzes_bp, exam_bp, bank_bp,
                      staff_bp, hours_bp, competencies_bp, labs_bp,
                      stories_bp, notifications_bp,
                      supervision_bp, certification_bp, certstaff_bp, eligibility_bp, exams_bp, verify_bp, issuer_bp,
                      records_bp,
                      reports_bp, audit_bp, xapi_bp, personaldata_bp):
        app.register_blueprint(blueprint)

    from training.cli import register_commands
    register_commands(app)
    from training.certification.cli import register as register_certificate_commands
    register_certificate_commands(app)
    from training.notifications.cli import register as register_notification_commands
    register_notification_commands(app)
    from training.audit.cli import register as register_audit_commands
    register_audit_commands(app)

    from training.localization import init_localization
    from training.templating import init_templating
    init_localization(app)
    init_templating(app)
    return app
