"""Markdown is rendered with raw HTML off and sanitised."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from community.markdown import render


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[klik](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://x" onclick="alert(1)">x</a>',
    ],
)
def test_malicious_markdown_is_neutralised(source):
    tags = re.findall(r"<[^>]*>", render(source))
    for tag in tags:
        assert not tag.startswith(("<script", "<img"))
        assert "onerror" not in tag
        assert "onclick" not in tag
        assert "javascript:" not in tag
        assert "data:" not in tag


def test_ordinary_markdown_survives():
    html = render("# Kop\n\n**vet** en [link](https://platform31.nl)\n\n- een\n- twee")
    assert "<h2>Kop</h2>" in html
    assert "<strong>vet</strong>" in html
    assert 'href="https://platform31.nl"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<li>een</li>" in html


XSS_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x73;cript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    '<a href="javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    '<div onmouseover="alert(1)">x</div>',
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<script>alert(1)</script>",
    '[x](https://ok.example "t" onmouseover=alert(1))',
    '[x](https://a.example/"onmouseover="alert(1))',
    "<a href='https://ok.example' style='x:expression(alert(1))'>x</a>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="http://ok.example" onclick=alert(1)//">x</a>',
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_harmless(payload):
    collector = _Collector()
    collector.feed(render(payload))
    for tag, attrs in collector.tags:
        assert tag in {"p", "a", "code", "pre", "br"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name in {"href", "rel", "title"}, name
            if name == "href":
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}, value


def test_images_from_elsewhere_become_links():
    html = render("![kaart](https://evil.example/tracker.png)")
    assert "<img" not in html
    assert '<a href="https://evil.example/tracker.png"' in html
    assert ">kaart</a>" in html


def test_stored_and_served_contribution_is_sanitised(
    client, db, make_community, make_membership, make_user, make_case
):
    from sqlalchemy import select

    from community.models import Contribution
    from tests.conftest import login

    community = make_community()
    author, member = make_user(), make_user()
    make_membership(author, community)
    make_membership(member, community)
    case = make_case(community, author, phase="questions")
    login(client, member.email)
    payload = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>"
    client.post(
        f"/c/{community.slug}/cases/{case.id}/contributions",
        data={"kind": "question", "body": payload},
    )
    stored = db.session.scalar(select(Contribution))
    assert stored.body == payload  # the source is kept as typed
    assert "<img" not in stored.body_html
    assert "<script" not in stored.body_html
    page = client.get(f"/c/{community.slug}/cases/{case.id}").get_data(as_text=True)
    assert "<script>alert(2)" not in page
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
