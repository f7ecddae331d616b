"""The intervisie cycle: which contributions fit which phase, and who moves a case on.

Pure rules, no database: `allowed_kinds` is what the policy and the case form ask.

- `incident` (the default): in *questions* members ask clarifying questions and the
  case owner answers; in *advice* members advise, experts give expert advice and the
  owner listens (no replies at all); in *reflection* the owner reflects.
- `open`: free discussion, any kind in any open phase (answers and the reflection
  stay the owner's, expert advice the experts').
- `consult`: as `incident`, but in the advice round only experts advise.

Comments are allowed in every open phase, except for the owner during the advice
round of `incident` and `consult`.
"""

from __future__ import annotations

OPEN_PHASES = ("questions", "advice", "reflection")

# (from, to) -> who may make the move: "author", "moderator" or both.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("draft", "questions"): frozenset({"author"}),
    ("questions", "advice"): frozenset({"author", "moderator"}),
    ("advice", "reflection"): frozenset({"author", "moderator"}),
    # Moderators may close as well, so a case does not stay open when its owner leaves.
    ("reflection", "closed"): frozenset({"author", "moderator"}),
    ("closed", "reflection"): frozenset({"moderator"}),
}


def allowed_kinds(method: str, phase: str, role: str, is_author: bool) -> frozenset[str]:
    """The contribution kinds a member with `role` may post now.

    `role` is the community role (member, expert, moderator).
    """
    if phase not in OPEN_PHASES:
        return frozenset()
    expert = role == "expert"
    if method == "open":
        kinds = {"question", "advice", "comment"}
        if is_author:
            kinds |= {"answer", "reflection"}
        if expert:
            kinds.add("expert_advice")
        return frozenset(kinds)
    if phase == "questions":
        return frozenset({"answer", "comment"} if is_author else {"question", "comment"})
    if phase == "advice":
        if is_author:
            return frozenset()
        if expert:
            return frozenset({"advice", "expert_advice", "comment"})
        return frozenset({"comment"} if method == "consult" else {"advice", "comment"})
    # reflection
    return frozenset({"reflection", "comment"} if is_author else {"comment"})


def can_move(current: str, target: str, *, is_author: bool, is_moderator: bool) -> bool:
    movers = TRANSITIONS.get((current, target), frozenset())
    return (is_author and "author" in movers) or (is_moderator and "moderator" in movers)


def next_phases(current: str) -> list[str]:
    return [target for (source, target) in TRANSITIONS if source == current]
