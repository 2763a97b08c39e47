"""Decision readiness: the SURE test, the decision stage and the preferred role.

The SURE test (Légaré et al. 2010) has four yes/no items; a total of 3 or less flags
decisional conflict. The decision stage and preferred role follow the Ottawa Personal
Decision Guide. msstem asks them at the start (About you) and the SURE test again at the
end (Your summary); the answers travel in the answers cookie as short codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msstem.errors import InputError

__all__ = [
    "IPDAS_SOURCE",
    "READINESS_SOURCES",
    "ROLES",
    "STAGES",
    "SURE_CONFLICT_AT_MOST",
    "SURE_ITEMS",
    "cited_source_ids",
    "parse_readiness",
    "readiness_view",
    "sure_score",
]

#: The sources of these questions (evidence notes Part III §F).
READINESS_SOURCES: Final = ("legare-2010-sure", "ottawa-personal-decision-guide")
#: The decision-aid standard the aid is checked against (docs/ipdas.md, Learn's "About").
IPDAS_SOURCE: Final = "joseph-williams-2014-ipdas"


def cited_source_ids() -> tuple[str, ...]:
    """Source ids this module cites (``msstem evidence check`` counts them as used)."""
    return (*READINESS_SOURCES, IPDAS_SOURCE)
#: SURE: (id, the question in plain words).
SURE_ITEMS: Final = (
    ("sure", "Do you feel sure about the best choice for you?"),
    ("understand", "Do you know the benefits and risks of each option?"),
    ("ratio", "Are you clear about which benefits and risks matter most to you?"),
    ("encouragement", "Do you have enough support and advice to make a choice?"),
)
#: A SURE total of this or less flags decisional conflict (Légaré 2010).
SURE_CONFLICT_AT_MOST: Final = 3
#: Ottawa Personal Decision Guide: how far along are you?
STAGES: Final[Mapping[str, str]] = {
    "not_thought": "I have not thought about the choices yet",
    "thinking": "I am thinking about the choices",
    "close": "I am close to choosing",
    "chosen": "I have already chosen",
}
#: Ottawa Personal Decision Guide: who should decide?
ROLES: Final[Mapping[str, str]] = {
    "self": "I want to decide myself, after hearing my doctor's views",
    "shared": "I want to decide together with my doctor",
    "doctor": "I want my doctor to decide, after hearing my views",
}
_YES_NO: Final = {"yes", "no"}


def parse_readiness(form: Mapping[str, str], when: str) -> dict[str, str]:
    """Read the optional readiness fields of a form (``when`` is ``start`` or ``end``).

    Unanswered questions are left out; an answer outside the choices is an error naming it.
    """
    out: dict[str, str] = {}
    for item, _ in SURE_ITEMS:
        name = f"sure_{when}_{item}"
        value = form.get(name, "").strip()
        if value == "":
            continue
        if value not in _YES_NO:
            raise InputError(f"{name}: {value!r} is not allowed; answer yes or no, or skip it",
                             field=name)
        out[name] = value
    if when == "start":
        for name, choices in (("stage", STAGES), ("role", ROLES)):
            value = form.get(name, "").strip()
            if value == "":
                continue
            if value not in choices:
                raise InputError(f"{name}: {value!r} is not one of the choices", field=name)
            out[name] = value
    return out


def sure_score(answers: Mapping[str, str], when: str) -> int | None:
    """The SURE total (0-4), or None unless all four items were answered."""
    values = [answers.get(f"sure_{when}_{item}") for item, _ in SURE_ITEMS]
    if any(v is None for v in values):
        return None
    return sum(v == "yes" for v in values)


def _sure_text(score: int | None) -> str | None:
    if score is None:
        return None
    if score <= SURE_CONFLICT_AT_MOST:
        return (f"{score} of 4 yes answers: you may not feel ready to choose yet. Say so to "
                "your neurologist; more information or support can help.")
    return "4 of 4 yes answers: you feel ready to talk about a choice."


def readiness_view(answers: Mapping[str, str]) -> dict[str, Any]:
    """The readiness answers for the summary: stage, role and SURE at start and end."""
    start, end = sure_score(answers, "start"), sure_score(answers, "end")
    return {
        "stage": STAGES.get(answers.get("stage", "")),
        "role": ROLES.get(answers.get("role", "")),
        "sure_start": start,
        "sure_start_text": _sure_text(start),
        "sure_end": end,
        "sure_end_text": _sure_text(end),
        "offer": answers.get("offer"),
        "sources": list(READINESS_SOURCES),
    }
