"""Which BEGIN a request's transaction starts with on SQLite (community/sqlite.py)."""

from __future__ import annotations

import pytest

from community import sqlite


@pytest.mark.parametrize(
    ("method", "path", "begin"),
    [
        ("GET", "/login", "BEGIN"),  # readers never queue behind the writer
        ("HEAD", "/communities", "BEGIN"),
        ("POST", "/login", "BEGIN IMMEDIATE"),
        ("GET", "/confirm/some-token", "BEGIN IMMEDIATE"),  # a GET that writes
    ],
)
def test_the_begin_follows_what_the_request_may_do(app, method, path, begin):
    with app.test_request_context(path, method=method):
        assert sqlite.begin_statement() == begin


def test_a_get_that_says_it_writes_begins_immediate(app):
    with app.test_request_context("/login"):
        sqlite.expect_writes()
        assert sqlite.begin_statement() == "BEGIN IMMEDIATE"


def test_outside_a_request_every_transaction_may_write(app):
    assert sqlite.begin_statement() == "BEGIN IMMEDIATE"
