"""Flags, the review queue, hiding, locking, audit logs and security.txt."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from community.models import Contribution, Flag, Notification
from tests.conftest import login


@pytest.fixture
def kring(app, tmp_path, make_community, make_membership, make_user, make_case, make_contribution):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    community = make_community(name="Kring A")
    moderator, author, member = (
        make_user(name="Mo"),
        make_user(name="Auteur"),
        make_user(name="Lid"),
    )
    make_membership(moderator, community, role="moderator")
    make_membership(author, community)
    make_membership(member, community)
    case = make_case(
        community,
        author,
        phase="questions",
        title="Casus Paardenbloem",
        context="Tekst over paardenbloemen",
    )
    contribution = make_contribution(
        case, author, kind="answer", body="ONGEPAST antwoord met paardenbloem"
    )
    from community import search

    with app.test_request_context():
        search.index_case(case)
        search.index_contribution(contribution)
        from community.extensions import db

        db.session.commit()
    return {
        "community": community,
        "moderator": moderator,
        "author": author,
        "member": member,
        "case": case,
        "contribution": contribution,
    }


def test_flag_queue_and_handling(app, client, db, kring):
    w = kring
    login(client, w["member"].email)
    target = f"contribution:{w['contribution'].id}"
    client.post("/flags", data={"target": target, "reason": "offensive", "details": "Grof"})
    response = client.post(
        "/flags", data={"target": target, "reason": "offensive"}, follow_redirects=True
    )
    assert "al gerapporteerd" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Flag)).all()) == 1
    moderator = app.test_client()
    login(moderator, w["moderator"].email)
    home = moderator.get("/").get_data(as_text=True)
    assert "Te beoordelen" in home
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "Kwetsend of ongepast" in queue
    assert "Grof" in queue
    flag = db.session.scalar(select(Flag))
    assert (
        moderator.post(
            f"/moderation/flags/{flag.id}/resolve", data={"status": "handled"}
        ).status_code
        == 302
    )
    db.session.refresh(flag)
    assert flag.status == "open"  # a reason is required
    moderator.post(
        f"/moderation/flags/{flag.id}/resolve",
        data={"status": "handled", "resolution": "Verborgen"},
    )
    db.session.refresh(flag)
    assert flag.status == "handled"
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.recipient_id == w["member"].id)
    ).all()
    assert kinds == ["flag_handled"]


def test_outsiders_and_other_moderators_reach_nothing(
    app, client, db, kring, make_community, make_membership, make_user
):
    w = kring
    other = make_community(name="Kring B")
    moderator_b = make_user()
    make_membership(moderator_b, other, role="moderator")
    login(client, w["member"].email)
    client.post("/flags", data={"target": f"case:{w['case'].id}", "reason": "other"})
    client.post("/logout")
    login(client, moderator_b.email)
    assert "Casus Paardenbloem" not in client.get("/moderation").get_data(as_text=True)
    assert (
        client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/moderation/contribution/{w['contribution'].id}/hide", data={"reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/c/{w['community'].slug}/cases/{w['case'].id}/lock", data={"reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/flags", data={"target": f"case:{w['case'].id}", "reason": "other"}
        ).status_code
        == 404
    )
    flag = db.session.scalar(select(Flag))
    assert (
        client.post(f"/moderation/flags/{flag.id}/resolve", data={"resolution": "x"}).status_code
        == 404
    )
    db.session.refresh(w["case"])
    assert w["case"].hidden_at is None
    assert w["case"].locked_at is None
    client.post("/logout")
    login(client, w["member"].email)
    assert (
        client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": "x"}).status_code
        == 403
    )


def test_hidden_contribution(app, client, db, kring):
    w = kring
    login(client, w["moderator"].email)
    assert (
        client.post(
            f"/moderation/contribution/{w['contribution'].id}/hide", data={"reason": ""}
        ).status_code
        == 302
    )
    db.session.refresh(w["contribution"])
    assert w["contribution"].hidden_at is None  # no reason, no action
    client.post(
        f"/moderation/contribution/{w['contribution'].id}/hide", data={"reason": "Persoonsgegevens"}
    )
    url = f"/c/{w['community'].slug}/cases/{w['case'].id}"
    member = app.test_client()
    login(member, w["member"].email)
    page = member.get(url).get_data(as_text=True)
    assert "Verborgen door een moderator" in page
    assert "Persoonsgegevens" in page
    assert "ONGEPAST" not in page
    assert "ONGEPAST" not in member.get("/search", query_string={"q": "paardenbloem"}).get_data(
        as_text=True
    )
    author = app.test_client()
    login(author, w["author"].email)
    assert "ONGEPAST" in author.get(url).get_data(as_text=True)
    assert "ONGEPAST" in client.get(url).get_data(as_text=True)  # the moderator
    client.post(
        f"/moderation/contribution/{w['contribution'].id}/unhide", data={"reason": "Toch in orde"}
    )
    assert "ONGEPAST" in member.get(url).get_data(as_text=True)
    assert "ONGEPAST" in member.get("/search", query_string={"q": "paardenbloem"}).get_data(
        as_text=True
    )


def test_hidden_case_disappears_for_members(app, client, db, kring, make_contribution):
    w = kring
    from community.notifications.services import notify

    with app.test_request_context():
        notify(
            w["member"],
            "case_published",
            community=w["community"],
            target=w["case"],
            case_id=w["case"].id,
            case_title=w["case"].title,
            email=False,
        )
        db.session.commit()
    login(client, w["moderator"].email)
    client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": "Herleidbaar"})
    member = app.test_client()
    login(member, w["member"].email)
    page = member.get(f"/c/{w['community'].slug}/cases/{w['case'].id}").get_data(as_text=True)
    assert "Verborgen door een moderator" in page
    assert "paardenbloemen" not in page
    assert "Casus Paardenbloem" not in member.get(f"/c/{w['community'].slug}").get_data(
        as_text=True
    )
    assert "Casus Paardenbloem" not in member.get("/notifications").get_data(as_text=True)
    assert "0 resultaten" in member.get("/search", query_string={"q": "paardenbloem"}).get_data(
        as_text=True
    )
    assert "paardenbloemen" in client.get(
        f"/c/{w['community'].slug}/cases/{w['case'].id}"
    ).get_data(as_text=True)
    author = app.test_client()
    login(author, w["author"].email)
    assert "Casus Paardenbloem" in author.get(f"/c/{w['community'].slug}").get_data(as_text=True)


def test_hidden_attachment_is_not_downloadable(app, client, db, kring):
    w = kring
    login(client, w["member"].email)
    client.post(
        f"/c/{w['community'].slug}/cases/{w['case'].id}/contributions",
        data={
            "kind": "question",
            "body": "Zie bijlage",
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "plan.pdf"),
        },
        content_type="multipart/form-data",
    )
    contribution = db.session.scalar(select(Contribution).where(Contribution.body == "Zie bijlage"))
    from community.models import Attachment

    attachment = db.session.scalar(select(Attachment))
    moderator = app.test_client()
    login(moderator, w["moderator"].email)
    moderator.post(f"/moderation/contribution/{contribution.id}/hide", data={"reason": "x"})
    other = app.test_client()
    login(other, w["author"].email)
    assert other.get(f"/files/{attachment.id}").status_code == 404
    own = client.get(f"/files/{attachment.id}")
    own.close()
    assert own.status_code == 200


def test_locked_case_takes_no_contributions(client, db, kring):
    w = kring
    url = f"/c/{w['community'].slug}/cases/{w['case'].id}"
    login(client, w["member"].email)
    client.post(f"{url}/contributions", data={"kind": "question", "body": "Hoe lang al?"})
    before = client.get(url).get_data(as_text=True)
    assert 'id="contribution-form"' in before
    assert "data-reply=" in before
    reply_to = before.split('data-reply="', 1)[1].split('"', 1)[0]
    client.post("/logout")
    login(client, w["moderator"].email)
    client.post(
        f"/c/{w['community'].slug}/cases/{w['case'].id}/lock",
        data={"reason": "Afkoelen", "locked": "1"},
    )
    client.post("/logout")
    login(client, w["member"].email)
    page = client.get(url).get_data(as_text=True)
    assert "Gesloten voor nieuwe bijdragen" in page
    # No prompt to contribute on a locked case: no form, no reply links, no phase notice.
    assert 'id="contribution-form"' not in page
    assert "data-reply=" not in page
    assert "Bijdrage plaatsen" not in page
    assert "In deze fase kun jij" not in page
    assert client.get(f"{url}/contributions/{reply_to}/reply").status_code == 403
    assert (
        client.post(f"{url}/contributions", data={"kind": "question", "body": "x"}).status_code
        == 403
    )


def test_audit_logs_and_csv(app, client, db, kring, make_user):
    w = kring
    login(client, w["moderator"].email)
    client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": '=HYPERLINK("evil")'})
    page = client.get(f"/c/{w['community'].slug}/audit").get_data(as_text=True)
    assert "=HYPERLINK" in page
    import csv as csv_module

    text = client.get(f"/c/{w['community'].slug}/audit?format=csv").get_data(as_text=True)
    rows = list(csv_module.reader(io.StringIO(text)))
    assert any("case.hidden" in row for row in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    member = app.test_client()
    login(member, w["member"].email)
    assert member.get(f"/c/{w['community'].slug}/audit").status_code == 403
    admin = app.test_client()
    login(admin, make_user(platform_role="admin").email)
    admin_csv = admin.get("/admin/audit?format=csv&action=case.").get_data(as_text=True)
    assert "case.hidden" in admin_csv
    assert "login.succeeded" not in admin_csv
    assert member.get("/admin/audit").status_code == 403


def test_csv_cells_are_inert():
    from community.moderation.views import _inert

    for cell in ("=1+1", "+cmd", "-2", "@SUM(A1)"):
        assert _inert(cell).startswith("'")
    assert _inert("gewoon") == "gewoon"


def test_security_txt(client):
    response = client.get("/.well-known/security.txt")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Contact: mailto:" in body
    assert "Expires: " in body


def test_move_case_to_another_moderated_community(
    app, client, db, kring, make_community, make_membership, make_user
):
    from community.notifications.services import notify

    w = kring
    target = make_community(name="Kring B")
    make_membership(w["moderator"], target, role="moderator")
    newcomer = make_user()
    make_membership(newcomer, target)
    elsewhere = make_community(name="Kring C")
    with app.test_request_context():
        notify(
            w["member"],
            "case_published",
            community=w["community"],
            target=w["case"],
            case_id=w["case"].id,
            case_title=w["case"].title,
            email=False,
        )
        db.session.commit()
    login(client, w["moderator"].email)
    url = f"/c/{w['community'].slug}/cases/{w['case'].id}/move"
    assert client.post(url, data={"target": elsewhere.slug, "reason": "x"}).status_code == 403
    client.post(url, data={"target": target.slug, "reason": ""})
    db.session.refresh(w["case"])
    assert w["case"].community_id == w["community"].id  # no reason, no move
    response = client.post(url, data={"target": target.slug, "reason": "Past beter bij B"})
    assert response.headers["Location"] == f"/c/{target.slug}/cases/{w['case'].id}"
    old_member = app.test_client()
    login(old_member, w["member"].email)
    assert old_member.get(f"/c/{target.slug}/cases/{w['case'].id}").status_code == 404
    assert old_member.get(f"/c/{w['community'].slug}/cases/{w['case'].id}").status_code == 404
    assert "Casus Paardenbloem" not in old_member.get("/notifications").get_data(as_text=True)
    assert "0 resultaten" in old_member.get("/search", query_string={"q": "paardenbloem"}).get_data(
        as_text=True
    )
    new_member = app.test_client()
    login(new_member, newcomer.email)
    assert new_member.get(f"/c/{target.slug}/cases/{w['case'].id}").status_code == 200
    assert "Casus Paardenbloem" in new_member.get(
        "/search", query_string={"q": "paardenbloem"}
    ).get_data(as_text=True)
    # The old address (in earlier mails) leads readers on, sub-page and query kept.
    case_id = w["case"].id
    old, new = f"/c/{w['community'].slug}/cases/{case_id}", f"/c/{target.slug}/cases/{case_id}"
    for reader in (new_member, client):  # only in B; in both (the moderator)
        response = reader.get(old)
        assert response.status_code == 302
        assert response.headers["Location"] == new
        response = reader.get(f"{old}/history?page=2")
        assert response.headers["Location"] == f"{new}/history?page=2"
    # A slug the case never was in stays a 404, like a case that never existed.
    assert new_member.get(f"/c/{elsewhere.slug}/cases/{case_id}").status_code == 404
    never = old_member.get(f"/c/{w['community'].slug}/cases/999999")
    gone = old_member.get(old)
    assert gone.status_code == never.status_code == 404
    assert gone.get_data() == never.get_data()
    # Writing to the old address does not follow the move.
    assert new_member.post(f"{old}/contributions", data={"body": "x"}).status_code == 404
    anonymous = app.test_client().get(old)
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]


def test_new_members_first_contributions_wait_for_a_moderator(
    app, client, db, kring, make_user, make_membership
):
    w = kring
    w["community"].review_new_members = True
    db.session.commit()
    newcomer = make_user(name="Nieuweling")
    make_membership(newcomer, w["community"])
    url = f"/c/{w['community'].slug}/cases/{w['case'].id}"
    login(client, newcomer.email)
    response = client.post(
        f"{url}/contributions",
        data={"kind": "question", "body": "EERSTE-VRAAG"},
        follow_redirects=True,
    )
    assert "wacht op goedkeuring" in response.get_data(as_text=True)
    assert "EERSTE-VRAAG" in client.get(url).get_data(as_text=True)  # the author sees it
    member = app.test_client()
    login(member, w["member"].email)
    assert "EERSTE-VRAAG" not in member.get(url).get_data(as_text=True)
    assert "EERSTE-VRAAG" not in member.get("/search", query_string={"q": "eerste"}).get_data(
        as_text=True
    )
    assert not db.session.scalars(
        select(Notification).where(Notification.kind == "contribution_added")
    ).all()
    moderator = app.test_client()
    login(moderator, w["moderator"].email)
    assert "EERSTE-VRAAG" in moderator.get("/moderation").get_data(as_text=True)
    held = db.session.scalar(select(Contribution).where(Contribution.body == "EERSTE-VRAAG"))
    assert member.post(f"/moderation/contribution/{held.id}/approve").status_code == 403
    moderator.post(f"/moderation/contribution/{held.id}/approve")
    assert "EERSTE-VRAAG" in member.get(url).get_data(as_text=True)
    assert db.session.scalars(
        select(Notification).where(Notification.kind == "contribution_added")
    ).all()
    # Experts and moderators are never held; without the setting nobody is.
    w["community"].review_new_members = False
    db.session.commit()
    client.post(f"{url}/contributions", data={"kind": "question", "body": "TWEEDE-VRAAG"})
    assert (
        db.session.scalar(
            select(Contribution.pending_review).where(Contribution.body == "TWEEDE-VRAAG")
        )
        is False
    )


def test_hidden_case_stays_out_of_digests(app, client, db, kring):
    from community.notifications import digest
    from community.notifications.services import notify

    w = kring
    w["member"].email_mode = "daily"
    db.session.commit()
    with app.test_request_context():
        notify(
            w["member"],
            "case_published",
            community=w["community"],
            target=w["case"],
            case_id=w["case"].id,
            case_title=w["case"].title,
        )
        db.session.commit()
    login(client, w["moderator"].email)
    client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": "Herleidbaar"})
    from community.mail import deliver_due, sent_messages

    with app.test_request_context():
        assert digest.send_digests("daily") == 0  # the only item is about a hidden case
        db.session.commit()
    deliver_due(app)  # the worker: whatever was queued goes out
    assert all("Paardenbloem" not in m.get_content() for m in sent_messages(app))


def test_moderator_csv_has_no_ip_or_email(client, db, kring):
    w = kring
    login(client, w["moderator"].email)
    client.post(f"/moderation/case/{w['case'].id}/hide", data={"reason": "x"})
    text = client.get(f"/c/{w['community'].slug}/audit?format=csv").get_data(as_text=True)
    assert "127.0.0.1" not in text
    assert w["moderator"].email not in text
    assert "Mo" in text


def test_case_page_links_each_contribution_to_a_report_page(client, db, kring):
    """Reporting a contribution happens on a page of its own, not in a form per contribution."""
    w = kring
    contribution_id = w["contribution"].id
    login(client, w["member"].email)
    page = client.get(f"/c/{w['community'].slug}/cases/{w['case'].id}").get_data(as_text=True)
    link = f"/flags/new?target=contribution%3A{contribution_id}"
    assert link in page
    article = page.split(f'id="bijdrage-{contribution_id}"')[1].split("</article>")[0]
    assert 'name="reason"' not in article
    form = client.get(link)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert f'name="target" value="contribution:{contribution_id}"' in html
    back = f"/c/{w['community'].slug}/cases/{w['case'].id}/contributions/{contribution_id}"
    assert f'name="next" value="{back}"' in html
    assert "<details" not in html.split("<main")[1]
    response = client.post(
        "/flags",
        data={"target": f"contribution:{contribution_id}", "reason": "offensive", "next": back},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(back)
    assert db.session.scalar(select(Flag)).target_id == contribution_id


def test_report_page_is_closed_to_outsiders(client, kring, make_user):
    w = kring
    target = f"/flags/new?target=contribution%3A{w['contribution'].id}"
    assert client.get(target).status_code == 302  # anonymous: to the login page
    outsider = make_user()
    login(client, outsider.email)
    for url in (
        target,
        f"/flags/new?target=case%3A{w['case'].id}",
        "/flags/new?target=contribution%3A999999",
        "/flags/new?target=user%3A1",
        "/flags/new?target=contribution%3Aabc",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Paardenbloem" not in response.get_data(as_text=True)


def test_queue_shows_the_oldest_and_the_header_counts_all(
    client, db, kring, make_user, make_membership, monkeypatch
):
    from community.moderation import queue

    w = kring
    for n in range(3):
        reporter = make_user(name=f"Melder {n}")
        make_membership(reporter, w["community"])
        login(client, reporter.email)
        client.post("/flags", data={"target": f"case:{w['case'].id}", "reason": "other"})
        client.post("/logout")
    monkeypatch.setattr(queue, "QUEUE_SIZE", 2)
    login(client, w["moderator"].email)
    page = client.get("/moderation").get_data(as_text=True)
    assert page.count("Gerapporteerd door") == 2
    assert "Melder 0" in page
    assert "Melder 1" in page
    assert "Melder 2" not in page
    assert "Je ziet de oudste 2." in page
    assert "Gerapporteerde inhoud (3)" in page  # the section counts them all
    assert "Te beoordelen (3)" in page  # and so does the header
    assert 'href="/moderation?section=flags"' in page
    rest = client.get("/moderation?section=flags").get_data(as_text=True)
    assert rest.count("Gerapporteerd door") == 3  # the section on its own shows them all
    assert "Melder 2" in rest
