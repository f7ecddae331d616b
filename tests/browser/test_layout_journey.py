"""Layout on phones (320 CSS px, also 400 % zoom; 390 px) and on a desktop (1280 px): tables
as labelled cards, round radio buttons, no error look before a submit, long Dutch words
that wrap, and a failed post that lands on its error summary. axe-core on each page."""

from __future__ import annotations

from typing import Any

import layout_world
import pytest
from pages import LoginPage, assert_accessible, assert_no_horizontal_scroll
from playwright.sync_api import Page, expect

WIDTHS = (320, 390, 1280)  # a small phone (and 400 % zoom), a common phone, a laptop

# For each table on the page: in every body row, the cells' boxes overlap nowhere.
OVERLAPS = """() => {
    const problems = [];
    for (const row of document.querySelectorAll('table tbody tr')) {
        const boxes = [...row.children].map(cell => cell.getBoundingClientRect())
            .filter(box => box.width > 0 && box.height > 0);
        for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 1 && h > 1) problems.push(row.innerText.slice(0, 60));
            }
        }
        // and no text runs out of its cell
        for (const cell of row.children) {
            if (cell.scrollHeight > cell.clientHeight + 1) {
                problems.push('overflow: ' + cell.innerText.slice(0, 40));
            }
        }
    }
    return problems;
}"""

# The label a stacked cell shows: its ::before content, as the browser renders it.
LABELS = """() => [...document.querySelectorAll('table tbody [data-label]')]
    .filter(cell => cell.dataset.label)
    .map(cell => [cell.dataset.label, getComputedStyle(cell, '::before').content])"""


def _context(browser: Any, live_server: Any, width: int) -> Any:
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": width, "height": 800},
        ignore_https_errors=True,
    )
    ctx.set_default_timeout(15_000)
    return ctx


@pytest.fixture
def world(live_server: Any, request: pytest.FixtureRequest) -> layout_world.LayoutWorld:
    key = "".join(ch for ch in request.node.name if ch.isalnum())[-24:].lower()
    return layout_world.build(live_server.app, key)


def _as(browser: Any, live_server: Any, width: int, email: str) -> Page:
    page = _context(browser, live_server, width).new_page()
    LoginPage(page).open().log_in(email, layout_world.PASSWORD)
    return page


def _check_tables(page: Page, width: int, label: str) -> None:
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_no_horizontal_scroll(page, width)
    assert page.evaluate(OVERLAPS) == [], f"{label}: cells overlap at {width}px"
    labels = page.evaluate(LABELS)
    assert labels, label
    for name, content in labels:
        if width <= 640:
            assert content == f'"{name}"', f"{label}: cell label {name!r} not shown ({content})"
        else:
            assert content == "none", f"{label}: cell label {name!r} shown on a wide screen"
    assert_accessible(page, f"{label} at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_tables_are_readable(browser, live_server, world, width):
    page = _as(browser, live_server, width, world.moderator)
    for label, path in (
        ("members", f"/c/{world.slug}/members"),
        ("community audit log", f"/c/{world.slug}/audit"),
        ("adoptions", f"/approaches/{world.approach_id}"),
        ("sessions", "/account"),
    ):
        page.goto(path)
        _check_tables(page, width, label)
    page.context.close()
    page = _as(browser, live_server, width, world.admin)
    for label, path in (
        ("admin accounts", "/admin/accounts?status=active"),
        ("admin audit log", "/admin/audit"),
        ("organisations", "/admin/organisations"),
    ):
        page.goto(path)
        _check_tables(page, width, label)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_radio_buttons_stay_round_and_required_fields_look_normal(
    browser, live_server, world, width
):
    page = _as(browser, live_server, width, world.moderator)
    page.goto(f"/c/{world.slug}/invite")
    for radio in page.locator("main input[type=radio]").all():
        box = radio.bounding_box()
        assert box
        assert box["width"] <= 40, box
        assert abs(box["width"] - box["height"]) < 2, box
    page.context.close()
    page = _as(browser, live_server, width, world.member)
    page.goto(f"/c/{world.slug}/approaches/new")
    colour = "el => getComputedStyle(el).borderBottomColor"
    required, optional = page.locator("#problem"), page.locator("#pitfalls")
    expect(required).to_have_attribute("required", "")
    assert required.evaluate(colour) == optional.evaluate(colour)
    assert_accessible(page, f"approach form at {width}px")
    # After a failed submit the server marks the field: now it does look different.
    page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    expect(page.locator("#problem")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#problem").evaluate(colour) != page.locator("#pitfalls").evaluate(colour)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_long_words_do_not_push_the_page_sideways(browser, live_server, world, width):
    page = _as(browser, live_server, width, world.member)
    for label, path in (
        ("case with a 60-letter title", f"/c/{world.slug}/cases/{world.case_id}"),
        ("community home", f"/c/{world.slug}"),
        ("approach", f"/approaches/{world.approach_id}"),
        ("meeting", f"/c/{world.slug}/meetings/{world.meeting_id}"),
        ("directory", "/communities"),
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        heading = page.locator("h1").bounding_box()
        assert heading, label
        assert heading["x"] + heading["width"] <= width, label
    page.context.close()


def _summary_in_view_and_focused(page: Page) -> None:
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate(
        """() => { const box = document.querySelector('.error-summary').getBoundingClientRect();
                   return box.top >= 0 && box.top < innerHeight; }"""
    ), "the error summary is not in the viewport"


@pytest.mark.parametrize("width", WIDTHS)
def test_failed_post_lands_on_the_error_summary(browser, live_server, world, width, tmp_path):
    page = _as(browser, live_server, width, world.moderator)
    page.goto(f"/c/{world.slug}/cases/{world.long_case_id}")
    assert page.evaluate("document.scrollingElement.scrollHeight") > 3 * 800  # a long page
    form = page.locator("main form[action*='/contributions#']")
    form.locator("button[value=post]").click()  # nothing typed
    page.wait_for_load_state("load")
    _summary_in_view_and_focused(page)
    assert page.evaluate("scrollY") > 800
    assert_accessible(page, f"failed contribution at {width}px")

    program = tmp_path / "programma.exe"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    text = "Een bijdrage die blijft staan, ook als de bijlage wordt geweigerd."
    form = page.locator("main form[action*='/contributions#']")
    form.locator("#body").fill(text)
    form.locator("#attachment").set_input_files(str(program))
    form.locator("button[value=post]").click()
    page.wait_for_load_state("load")
    _summary_in_view_and_focused(page)
    expect(page.locator("#body")).to_have_value(text)
    page.context.close()


def test_failed_post_without_javascript_scrolls_to_the_form(browser, live_server, world):
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 320, "height": 800},
        ignore_https_errors=True,
        java_script_enabled=False,
    )
    page = ctx.new_page()
    LoginPage(page).open().log_in(world.moderator, layout_world.PASSWORD)
    page.goto(f"/c/{world.slug}/cases/{world.long_case_id}")
    page.locator("main form[action*='/contributions#'] button[value=post]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("#bijdragen")
    box = page.locator(".error-summary").bounding_box()
    assert box
    assert 0 <= box["y"] < 800, box
    ctx.close()
