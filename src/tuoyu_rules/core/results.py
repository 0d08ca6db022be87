"""Results: immutable data that carry their own explanation.

An :class:`Entitlement` is what one programme gives a facility (or why not); an :class:`Obligation` is a
matching duty that a grant places on another payer. Both say who pays, on what basis, how much (as a
range), why, what facts would decide an open entry, which parameter values were used and which clauses
they rest on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from .amounts import AmountRange, total
from .citations import Citation, Confidence
from .models import Facility
from .money import fen_text
from .parameters import ParameterUse
from .policy import Basis, Status


def _ratio_text(value: Decimal) -> str:
    """A ratio as text with at least two decimals, like money (``"1.00"``, ``"0.85"``), more if it has them."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return fen_text(value)
    return format(value, "f")


Ratio = Annotated[Decimal, PlainSerializer(_ratio_text, return_type=str, when_used="json")]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str
    """Programme id, e.g. ``xiamen.construction_subsidy``."""
    jurisdiction: str
    """The layer whose programme this is (``cn``, ``fujian``, ``xiamen``)."""
    name_zh: str
    name_en: str
    status: Status
    payer: str
    """Payer id ``<jurisdiction>.<body>``: ``cn.acftu``, ``fujian.union``, ``xiamen.union``."""
    payer_zh: str = ""
    payer_en: str = ""
    basis: Basis
    amount: AmountRange
    reasons: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    missing: tuple[str, ...] = ()
    """Facts that would decide an undetermined entry (or settle a refinement's condition)."""
    parameters: tuple[ParameterUse, ...] = ()
    """Every parameter value the rule read, with its period and citation ids."""
    confidence: Confidence = "official"
    """``secondary`` when any citation the entry rests on is secondary."""


class Entitlement(_Entry):
    """Money a programme gives (or, when ineligible, does not give) the facility's employer."""


class Obligation(_Entry):
    """A matching duty (配套): ``payer`` must add at least (or exactly) ``ratio`` times the matched grant."""

    matches: str
    """The programme id whose grant is matched."""
    ratio: Ratio
    exact: bool
    """True for an exact ratio (按1:1), False for a minimum (不低于1:1, amount has no upper bound)."""


class FrozenModel(BaseModel):
    """The base of a result record: immutable (frozen) and refusing unknown fields. A record that derives from
    it states only its fields, not this configuration again."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class PayerTotal(FrozenModel):
    """The sum of one payer's eligible amounts of one basis."""

    payer: str
    basis: Basis
    amount: AmountRange
    undetermined: int = Field(ge=0)
    """How many undetermined entries of this payer and basis are not in ``amount``."""


class Assessment(BaseModel):
    """Everything one facility is owed on one day, and every matching duty that creates, with reasons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facility: Facility
    on: dt.date
    jurisdiction: str
    """The jurisdiction whose rules were applied (the facility's own, or a what-if move)."""
    layers: tuple[str, ...]
    """The layers applied, nearest first: ``("xiamen", "fujian", "cn")``."""
    rounding: str
    entitlements: tuple[Entitlement, ...]
    obligations: tuple[Obligation, ...]
    notes: tuple[str, ...] = ()
    reform: str | None = None
    """The name of the what-if reform applied, or None for the law as it stands."""

    def entitlement(self, program: str) -> Entitlement:
        """The entitlement of a programme id; KeyError naming the ids present otherwise."""
        for e in self.entitlements:
            if e.program == program:
                return e
        raise KeyError(f"no entitlement {program!r}; present: {', '.join(e.program for e in self.entitlements)}")

    def obligation(self, program: str) -> Obligation:
        for o in self.obligations:
            if o.program == program:
                return o
        raise KeyError(f"no obligation {program!r}; present: {', '.join(o.program for o in self.obligations)}")

    def totals(self) -> tuple[PayerTotal, ...]:
        """Eligible entitlements and obligations summed by payer and basis (bases are never mixed)."""
        return totals_by_payer((*self.entitlements, *self.obligations))


def totals_by_payer(entries: Iterable[_Entry]) -> tuple[PayerTotal, ...]:
    """Sum eligible amounts by (payer, basis); count undetermined entries apart, never as zero."""
    sums: dict[tuple[str, str], list[AmountRange]] = {}
    open_: dict[tuple[str, str], int] = {}
    for e in entries:
        key = (e.payer, e.basis)
        sums.setdefault(key, [])
        open_.setdefault(key, 0)
        if e.status == "eligible":
            sums[key].append(e.amount)
        elif e.status == "undetermined":
            open_[key] += 1
    return tuple(
        PayerTotal(payer=payer, basis=basis, amount=total(sums[(payer, basis)]), undetermined=open_[(payer, basis)])
        for payer, basis in sorted(sums)
    )
