"""The own profile, public profiles and the data export."""

from __future__ import annotations

import json

from community.models import User


def _profile(**overrides: object) -> dict[str, object]:
    data = {
        "name": "Nieuwe Naam",
        "job_title": "Programmamanager",
        "bio": "Werkt aan wonen.",
        "email_mode": "each",
        "locale": "nl",
    }
    data.update(overrides)
    return data


def test_edit_profile_saves_and_shows(client, db, logged_in, make_theme):
    theme = make_theme(name_nl="Betaalbaar wonen", name_en="Housing affordability")
    user = logged_in()
    response = client.post("/account", data={**_profile(), "expertise": [theme.id]})
    assert response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Je profiel is opgeslagen." in page
    assert 'value="Nieuwe Naam"' in page
    assert "Werkt aan wonen." in page
    stored = db.session.get(User, user.id)
    assert stored.name == "Nieuwe Naam"
    assert [t.id for t in stored.expertise] == [theme.id]


def test_switching_language_to_english(client, db, logged_in):
    user = logged_in()
    client.post("/account", data=_profile(locale="en"))
    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert db.session.get(User, user.id).locale == "en"


def test_bad_profile_input_changes_nothing(client, db, logged_in):
    user = logged_in(name="Oude Naam")
    for bad in (
        _profile(name=""),
        _profile(bio="x" * 2001),
        _profile(locale="fr"),
        {**_profile(), "expertise": ["abc"]},
        {**_profile(), "expertise": ["999999"]},
    ):
        response = client.post("/account", data=bad)
        assert response.status_code == 200
        assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.get(User, user.id).name == "Oude Naam"


def test_people_page_shows_an_active_colleague(client, logged_in, make_user):
    colleague = make_user(name="Ahmed El Amrani", job_title="Senior beleidsmedewerker", bio="Wonen")
    logged_in()
    page = client.get(f"/people/{colleague.id}").get_data(as_text=True)
    assert "Ahmed El Amrani" in page
    assert "Senior beleidsmedewerker" in page
    assert colleague.email not in page


def test_people_page_hides_pending_and_unknown_accounts(client, logged_in, make_user):
    pending = make_user(status="pending")
    suspended = make_user(status="suspended")
    logged_in()
    assert client.get(f"/people/{pending.id}").status_code == 404
    assert client.get(f"/people/{suspended.id}").status_code == 404
    assert client.get("/people/999999").status_code == 404


def test_export_is_the_users_own_data(client, logged_in, make_user):
    other = make_user(email="ander@org.example")
    user = logged_in(name="Sanne")
    response = client.get("/account/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == user.email
    assert data["profile"]["name"] == "Sanne"
    text = response.get_data(as_text=True)
    assert "password" not in text
    assert "session_token" not in text
    assert other.email not in text


def test_email_preference_is_saved(client, db, logged_in):
    user = logged_in()
    assert user.email_mode == "each"
    client.post("/account", data={**_profile(), "email_mode": "weekly"})
    assert db.session.get(User, user.id).email_mode == "weekly"
    response = client.post("/account", data={**_profile(), "email_mode": "hourly"})
    assert response.status_code == 200
    assert db.session.get(User, user.id).email_mode == "weekly"


def test_export_contains_what_the_user_wrote_and_a_zip_with_files(
    app,
    client,
    db,
    tmp_path,
    logged_in,
    make_community,
    make_membership,
    make_case,
    make_contribution,
    make_user,
):
    import io
    import zipfile

    app.config["UPLOAD_DIR"] = str(tmp_path)
    user = logged_in()
    community = make_community(name="Kring X")
    make_membership(user, community)
    other = make_user()
    case = make_case(community, other, phase="questions")
    make_contribution(case, user, kind="question", body="Mijn eigen vraag")
    client.post(
        f"/c/{community.slug}/cases/new",
        data={
            "title": "Mijn casus",
            "theme": 0,
            "context": "c",
            "question": "q",
            "action": "draft",
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "plan.pdf"),
        },
        content_type="multipart/form-data",
    )
    data = json.loads(client.get("/account/export").get_data(as_text=True))
    assert [c["body"] for c in data["contributions"]] == ["Mijn eigen vraag"]
    assert [c["title"] for c in data["cases"]] == ["Mijn casus"]
    assert data["memberships"][0]["community"] == "Kring X"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/export.zip").data))
    names = archive.namelist()
    assert "data.json" in names
    assert any(n.endswith("plan.pdf") for n in names)
