"""Markdown is rendered with raw HTML off and sanitised."""

from __future__ import annotations

import re

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
