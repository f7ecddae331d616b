"""Demo meetings for `make run`: a past one with its report, upcoming ones with answers.

Dates are relative to the day the demo is loaded (Dutch time), so the upcoming ones
stay upcoming for a while; a meeting whose title exists in its community is skipped.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from community import markdown
from community.extensions import db
from community.models import Case, Community, Meeting, MeetingCase, Organisation, Rsvp, User
from community.models.base import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# community, kind, title, days from today, start (Dutch time), hours, host city slug,
# location, agenda, report (past ones), cases on the agenda, answers (e-mail, response)
DEMO_MEETINGS: list[dict[str, Any]] = [
    {
        "community": "Vitale binnensteden",
        "kind": "site_visit",
        "title": "Werkbezoek binnenstad Venlo",
        "days": -21,
        "start": time(13, 30),
        "hours": 3,
        "host": "venlo",
        "location": "Stadskantoor Venlo, Peperstraat; daarna een wandeling door de Lomstraat",
        "agenda": "1. Welkom door de gastgemeente\n2. Wandeling langs de aanloopstraten\n"
        "3. Casusbespreking: leegstand en eigenaren\n4. Afspraken voor de volgende bijeenkomst",
        "report": "We liepen met twaalf deelnemers door de Lomstraat en spraken twee eigenaren.\n\n"
        "- Venlo deelt het convenant met vastgoedeigenaren als voorbeeld.\n"
        "- Dordrecht en Roosendaal willen de aanpak van tijdelijke huur proberen.\n"
        "- Volgende keer: wat data zeggen over passantenstromen (Eindhoven).",
        "cases": [],
        "answers": [
            ("sanne.devries@venlo.nl", "yes"),
            ("p.visser@roosendaal.nl", "yes"),
            ("h.kooijman@dordrecht.nl", "yes"),
            ("f.yilmaz@stadenregio.example", "no"),
        ],
    },
    {
        "community": "Vitale binnensteden",
        "kind": "expert_session",
        "title": "Expertsessie: data over passanten en leegstand",
        "days": 12,
        "start": time(9, 30),
        "hours": 2,
        "host": "eindhoven",
        "location": "",
        "online_url": "https://meet.example/leerkring-binnensteden",
        "agenda": "1. Wat meet Eindhoven, en hoe?\n2. Vragen aan de deskundige\n"
        "3. Wat kan jouw stad morgen al doen?",
        "cases": ["roosendaal"],
        "answers": [
            ("sanne.devries@venlo.nl", "yes"),
            ("l.verbeek@eindhoven.nl", "yes"),
            ("f.yilmaz@stadenregio.example", "maybe"),
            ("h.kooijman@dordrecht.nl", "no"),
        ],
    },
    {
        "community": "Wonen en zorg / Langer thuis",
        "kind": "meeting",
        "title": "Bijeenkomst: zorgzame wijken in Emmen",
        "days": 26,
        "start": time(10, 0),
        "hours": 4,
        "host": "emmen",
        "location": "Gemeentehuis Emmen, Raadhuisplein 1",
        "agenda": "1. Rondleiding in een woonzorgcomplex\n2. Casus uit Deventer\n3. Lunch",
        "cases": [],
        "answers": [("l.mulder@zorggroepmidden.example", "yes"), ("t.vandam@deventer.nl", "maybe")],
    },
]


def _moment(days: int, start: time) -> datetime:
    day = utcnow().astimezone(AMSTERDAM).date() + timedelta(days=days)
    return datetime.combine(day, start, tzinfo=AMSTERDAM).astimezone(ZoneInfo("UTC"))


def _agenda_cases(community: Community, author_cities: list[str]) -> list[int]:
    """The community's cases by authors of these cities (the demo's one case each)."""
    if not author_cities:
        return []
    statement = (
        select(Case.id)
        .join(Organisation, Organisation.id == Case.organisation_id)
        .where(
            Case.community_id == community.id,
            Organisation.slug.in_(author_cities),
            Case.phase != "draft",
        )
    )
    return list(db.session.scalars(statement))


def load_demo_meetings() -> int:
    """Create the demo meetings that do not exist yet; returns how many were added."""
    communities = {c.name: c for c in db.session.scalars(select(Community))}
    users = {u.email: u for u in db.session.scalars(select(User))}
    hosts = {o.slug: o for o in db.session.scalars(select(Organisation))}
    existing = {
        (row.community_id, row.title)
        for row in db.session.execute(select(Meeting.community_id, Meeting.title))
    }
    added = 0
    for data in DEMO_MEETINGS:
        community = communities.get(data["community"])
        if community is None or (community.id, data["title"]) in existing:
            continue
        starts = _moment(data["days"], data["start"])
        host = hosts.get(data["host"])
        meeting = Meeting(
            community_id=community.id,
            kind=data["kind"],
            title=data["title"],
            starts_at=starts,
            ends_at=starts + timedelta(hours=data["hours"]),
            location=data["location"],
            online_url=data.get("online_url", ""),
            host_organisation_id=host.id if host else None,
            agenda=data["agenda"],
            agenda_html=markdown.render(data["agenda"]),
            created_at=min(utcnow(), starts - timedelta(days=30)),
        )
        if data.get("report"):
            meeting.report = data["report"]
            meeting.report_html = markdown.render(data["report"])
            meeting.report_at = starts + timedelta(days=2)
        db.session.add(meeting)
        db.session.flush()
        for case_id in _agenda_cases(community, data["cases"]):
            db.session.add(MeetingCase(meeting_id=meeting.id, case_id=case_id))
        for email, response in data["answers"]:
            user = users.get(email)
            if user is not None:
                db.session.add(
                    Rsvp(
                        meeting_id=meeting.id,
                        user_id=user.id,
                        response=response,
                        responded_at=min(utcnow(), starts - timedelta(days=3)),
                    )
                )
        added += 1
    db.session.flush()
    return added
