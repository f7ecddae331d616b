"""The accessibility statement follows the Dutch model statement (issue 15)."""

from __future__ import annotations

import re


def test_accessibility_statement_has_date_status_problems_and_contact(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = "mailto:a11y@gemeente.example"
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} \w+ \d{4}</time>', html)
    assert "B: voldoet gedeeltelijk aan de eisen" in html
    problems = html[html.index("Bekende problemen") :]
    problems = problems[: problems.index("</ul>")]
    assert problems.count("<li>") >= 2
    assert (
        '<a class="utrecht-link" href="mailto:a11y@gemeente.example">a11y@gemeente.example</a>'
        in (html)
    )
    assert "Nationale ombudsman" in html


def test_accessibility_statement_in_english(client):
    client.post("/language", data={"language": "en"})
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "B: partially compliant" in html
    assert "Known problems" in html
    assert "Date of the statement" in html
