"""What the tables of the command line say, in the language asked: headers, names and terms.

In English a table shows ids (``xiamen.construction_subsidy``, ``xiamen.union``, ``per_year``, ``eligible``), as
it always did; in Chinese it shows names (the programme's and the payer's Chinese names, the jurisdiction's) and
the glossary's terms (``status.*``, ``basis.*``, ``rounding.*``: :func:`tuoyu_rules.core.messages.glossary`).
Headers are codes of ``cli/messages.toml`` (:data:`COLUMNS`).
"""

from __future__ import annotations

import functools

from ..core.errors import TuoyuError
from ..core.messages import Message, glossary
from ..core.registry import get_policy, list_jurisdictions
from ..io.names import payer_names, program_names
from .lang import current, said

COLUMNS: dict[str, str] = {
    "programme": "cli.column.programme",
    "name": "cli.column.name",
    "payer": "cli.column.payer",
    "basis": "cli.column.basis",
    "status": "cli.column.status",
    "amount_yuan": "cli.column.amount_yuan",
    "amount_wan": "cli.column.amount_wan",
    "city": "cli.column.city",
    "id": "cli.column.id",
    "name_zh": "cli.column.name_zh",
    "name_en": "cli.column.name_en",
    "level": "cli.column.level",
    "parent": "cli.column.parent",
    "code": "cli.column.code",
    "children": "cli.column.children",
    "eligible": "cli.column.eligible",
    "ineligible": "cli.column.ineligible",
    "undetermined": "cli.column.undetermined",
    "year": "cli.column.year",
    "paid": "cli.column.paid",
    "baseline": "cli.column.baseline",
    "rule": "cli.column.rule",
    "outcome": "cli.column.outcome",
    "concerns": "cli.column.concerns",
    "message": "cli.column.message",
    "after": "cli.column.after",
    "due_by": "cli.column.due_by",
    "until": "cli.column.until",
    "closed": "cli.column.closed",
    "days_overdue": "cli.column.days_overdue",
}
"""A table header's key -> its code (``cli/messages.toml``): in English the headers the tables always had."""

LEVELS: dict[str, str] = {
    "national": "cli.level.national",
    "province": "cli.level.province",
    "city": "cli.level.city",
    "district": "cli.level.district",
}
"""A jurisdiction's level -> its code."""


def heads(*keys: str) -> list[str]:
    """The headers of a table, in the language asked."""
    return [said(Message(COLUMNS[key])) for key in keys]


def zh() -> bool:
    """Whether the command speaks Chinese."""
    return current() == "zh"


def term(prefix: str, value: str) -> str:
    """``value`` (an id: a status, a basis, a rounding mode): itself in English, the glossary's term
    ``<prefix>.<value>`` in Chinese (the id when the glossary has none)."""
    if not zh():
        return value
    found = glossary().get(f"{prefix}.{value}")
    return value if found is None else found[0]


def program(program_id: str, name_zh: str = "") -> str:
    """A programme: its id in English, its Chinese name in Chinese (``name_zh`` when given, else the rules'; the
    id when no name is known)."""
    if not zh():
        return program_id
    return name_zh or program_names(program_id)[0] or _district_program(program_id) or program_id


@functools.cache
def _district_program(program_id: str) -> str:
    """The Chinese name of a district's programme, whose id starts with its city's (``xiamen.siming_allowance``,
    declared by ``siming``): from the rules of the districts under that city; empty when none declares it."""
    city = program_id.split(".", 1)[0]
    for jid in list_jurisdictions():
        try:
            policy = get_policy(jid)
        except TuoyuError:  # a broken plugin names nothing
            continue
        if policy.parent == city and f"program.{program_id}" in policy.terms:
            return policy.terms[f"program.{program_id}"][0]
    return ""


def payer(payer_id: str, payer_zh: str = "") -> str:
    """A payer: its id in English, its Chinese name in Chinese (the id when no name is known)."""
    if not zh():
        return payer_id
    return payer_zh or payer_names(payer_id)[0] or payer_id


def jurisdiction(jurisdiction_id: str) -> str:
    """A jurisdiction: its id in English, its Chinese name in Chinese (the id when it does not load)."""
    if not zh():
        return jurisdiction_id
    try:
        return get_policy(jurisdiction_id).name_zh
    except TuoyuError:
        return jurisdiction_id


def level(value: str) -> str:
    """A jurisdiction's level (``city``), in the language asked."""
    code = LEVELS.get(value)
    return value if code is None else said(Message(code))
