"""Attachments on cases and contributions: upload checks, safe downloads, access checks."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select

from community.models import Attachment, Case, Contribution
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    return tmp_path


@pytest.fixture
def kring(make_community, make_membership, make_user):
    community = make_community()
    author = make_user()
    member = make_user()
    make_membership(author, community)
    make_membership(member, community)
    return community, author, member


def _case_form(filename: str, content: bytes) -> dict[str, object]:
    return {
        "title": "Casus met bijlage",
        "theme": 0,
        "context": "Context",
        "question": "Vraag?",
        "action": "publish",
        "attachment": (io.BytesIO(content), filename),
    }


def _files(directory) -> list[str]:
    return [name for _root, _dirs, names in os.walk(directory) for name in names]


def test_upload_and_download_with_safe_headers(app, client, db, uploads, kring):
    community, author, member = kring
    login(client, author.email)
    name = "rapport <script> één.pdf"
    response = client.post(
        f"/c/{community.slug}/cases/new",
        data=_case_form(name, PDF),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.media_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert len(attachment.sha256) == 64
    assert attachment.stored_name != name
    assert _files(uploads)
    assert not any(".pdf" in f for f in _files(uploads))
    case = db.session.scalar(select(Case))
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "rapport &lt;script&gt; één.pdf" in page
    assert "<script> één" not in page
    client.post("/logout")
    login(client, member.email)
    download = client.get(f"/files/{attachment.id}")
    assert download.status_code == 200
    assert download.get_data() == PDF
    download.close()
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"].split("; ")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    assert download.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "plaatje.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "niet toegestaan",
        ),
        ("pagina.html", b"<html><script>alert(1)</script></html>", "niet toegestaan"),
        ("nep.pdf", b"MZ\x90\x00 this is an exe", "past niet bij"),
        ("nep.txt", b"<html><body>hoi</body></html>", "niet toegestaan"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_fake_files_are_refused_and_leave_nothing(
    client, db, uploads, kring, filename, content, message
):
    community, author, _ = kring
    login(client, author.email)
    response = client.post(
        f"/c/{community.slug}/cases/new",
        data=_case_form(filename, content),
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'id="attachment-error"' in html
    assert 'value="Casus met bijlage"' in html  # nothing lost
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert _files(uploads) == []


def test_too_large_request_gets_the_413_page(app, client, db, uploads, kring):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    community, author, _ = kring
    login(client, author.email)
    response = client.post(
        f"/c/{community.slug}/cases/new",
        data=_case_form("groot.pdf", PDF + b"0" * 4096),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Te groot" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert _files(uploads) == []


def test_file_over_the_per_file_limit_is_a_form_error(app, client, db, uploads, kring):
    app.config["UPLOAD_MAX_FILE_SIZE"] = 100
    community, author, _ = kring
    login(client, author.email)
    response = client.post(
        f"/c/{community.slug}/cases/new",
        data=_case_form("a.pdf", PDF + b"x" * 200),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'id="attachment-error"' in response.get_data(as_text=True)
    assert _files(uploads) == []


def test_contribution_attachment_follows_its_case(
    app, client, db, uploads, kring, make_case, make_user, make_membership
):
    community, author, member = kring
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data={
            "kind": "question",
            "body": "Zie bijlage",
            "attachment": (io.BytesIO(b"a;b\n1;2\n"), "cijfers.csv"),
        },
        content_type="multipart/form-data",
    )
    contribution = db.session.scalar(select(Contribution))
    attachment = db.session.scalar(select(Attachment))
    assert (attachment.owner_type, attachment.owner_id) == ("contribution", contribution.id)
    own = client.get(f"/files/{attachment.id}")
    own.close()
    assert own.status_code == 200
    outsider = make_user()
    removed = make_user()
    pending = make_user()
    make_membership(removed, community, status="removed")
    make_membership(pending, community, status="requested")
    missing = app.test_client()
    login(missing, outsider.email)
    expected = missing.get("/files/999999")
    for person in (outsider, removed, pending):
        other = app.test_client()
        login(other, person.email)
        response = other.get(f"/files/{attachment.id}")
        assert response.status_code == 404
        assert response.get_data() == expected.get_data()


def test_draft_attachment_is_only_for_the_author(app, client, db, uploads, kring):
    community, author, member = kring
    login(client, author.email)
    form = _case_form("concept.pdf", PDF)
    form["action"] = "draft"
    client.post(f"/c/{community.slug}/cases/new", data=form, content_type="multipart/form-data")
    attachment = db.session.scalar(select(Attachment))
    own = client.get(f"/files/{attachment.id}")
    own.close()
    assert own.status_code == 200
    other = app.test_client()
    login(other, member.email)
    assert other.get(f"/files/{attachment.id}").status_code == 404


def test_anonymous_download_goes_to_login(client, db, uploads, kring):
    response = client.get("/files/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
