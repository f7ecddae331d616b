"""The phase rules as a matrix: method x phase x kind x role (x author)."""

from __future__ import annotations

import itertools

import pytest

from community.cases import cycle
from community.models import KINDS, PHASES

ROLES = ("member", "expert", "moderator")


def expected(method: str, phase: str, kind: str, role: str, author: bool) -> bool:
    if phase not in ("questions", "advice", "reflection"):
        return False
    if method == "open":
        if kind in ("answer", "reflection"):
            return author
        if kind == "expert_advice":
            return role == "expert"
        return True
    if phase == "questions":
        return kind in (("answer", "comment") if author else ("question", "comment"))
    if phase == "advice":
        if author:
            return False  # the case owner listens during the advice round
        if kind == "comment":
            return True
        if kind == "expert_advice":
            return role == "expert"
        if kind == "advice":
            return role == "expert" or method == "incident"
        return False
    return kind in (("reflection", "comment") if author else ("comment",))


@pytest.mark.parametrize(
    ("method", "phase", "kind", "role", "author"),
    list(itertools.product(("incident", "open", "consult"), PHASES, KINDS, ROLES, (False, True))),
)
def test_phase_rules(method, phase, kind, role, author):
    allowed = kind in cycle.allowed_kinds(method, phase, role, author)
    assert allowed is expected(method, phase, kind, role, author)


@pytest.mark.parametrize(
    ("current", "target", "author", "moderator", "allowed"),
    [
        ("draft", "questions", True, False, True),
        ("draft", "questions", False, True, False),
        ("questions", "advice", True, False, True),
        ("questions", "advice", False, True, True),
        ("questions", "advice", False, False, False),
        ("advice", "reflection", False, True, True),
        ("reflection", "closed", True, False, True),
        ("reflection", "closed", False, True, True),
        ("closed", "reflection", False, True, True),
        ("closed", "reflection", True, False, False),
        ("questions", "closed", True, True, False),
        ("advice", "questions", True, True, False),
    ],
)
def test_who_moves_a_case(current, target, author, moderator, allowed):
    assert cycle.can_move(current, target, is_author=author, is_moderator=moderator) is allowed
