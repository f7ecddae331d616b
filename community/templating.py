"""What templates may call: policies, formatting and the language."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community import i18n, labels, policy


def init_app(app: Flask) -> None:
    # Flask-Babel's own catalogue, looked up once per locale instead of for every string.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: i18n.translations().ugettext(s),
        ngettext=lambda s, p, n: i18n.translations().ungettext(s, p, n),
        pgettext=lambda c, s: i18n.translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: i18n.translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        can=policy.POLICIES,
        current_language=i18n.current_language,
        content_lang=i18n.content_lang,
        languages=app.config["LANGUAGES"],
        kind_label=labels.kind_label,
        status_label=labels.status_label,
        role_label=labels.role_label,
        membership_status_label=labels.membership_status_label,
        visibility_label=labels.visibility_label,
        method_label=labels.method_label,
        audit_label=labels.audit_label,
        phase_label=labels.phase_label,
        phase_labels=labels.phase_labels,
        kind_labels=labels.kind_labels,
        phase_explanation=labels.phase_explanation,
        contribution_label=labels.kind_of_contribution_label,
        contribution_submit_label=labels.contribution_submit_label,
        adoption_status_label=labels.adoption_status_label,
        flag_reason_label=labels.flag_reason_label,
        flag_reasons=("personal_data", "offensive", "off_topic", "confidential", "other"),
        meeting_kind_label=labels.meeting_kind_label,
        response_label=labels.response_label,
    )
    app.jinja_env.filters["moment"] = i18n.format_moment
    app.jinja_env.filters["day"] = i18n.format_day
    app.jinja_env.filters["filesize"] = i18n.format_size
    app.jinja_env.globals["timespan"] = i18n.format_span

    @app.context_processor
    def _unread() -> dict[str, Any]:
        def unread_notifications() -> int:
            from flask_login import current_user

            from community.notifications.services import unread_count

            return unread_count(current_user) if policy.is_active_user(current_user) else 0

        def review_count() -> int | None:
            """The header's "Te beoordelen (N)": None (no link, no query) for plain
            members; for moderators and administrators what waits in their queue."""
            from flask_login import current_user

            from community.accounts.two_factor import needs_second_factor
            from community.moderation.services import pending_review_count

            if not policy.is_active_user(current_user) or not needs_second_factor(current_user):
                return None
            return pending_review_count(current_user)

        from community.notifications.services import UNREAD_SHOWN

        return {
            "unread_notifications": unread_notifications,
            "review_count": review_count,
            "unread_shown": UNREAD_SHOWN,
        }

    @app.context_processor
    def _theme_name() -> dict[str, Any]:
        def theme_name(theme: Any) -> str:
            return str(theme.name(i18n.current_language()))

        def theme_names(themes: Any) -> dict[int, str]:
            """Theme id -> name in the current language, for a page that shows one per row."""
            language = i18n.current_language()
            return {theme.id: str(theme.name(language)) for theme in themes}

        return {"theme_name": theme_name, "theme_names": theme_names}
