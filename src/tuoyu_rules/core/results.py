"""Results: immutable data that carry their own explanation.

An :class:`Entitlement` is what one programme gives a facility (or why not); an :class:`Obligation` is a
matching duty that a grant places on another payer. Both say who pays, on what basis, how much (as a
range), why, what facts would decide an open entry, which parameter values were used and which clauses
they rest on.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Self, cast

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator
from pydantic_core import PydanticCustomError

from .amounts import ZERO, AmountRange, total
from .citations import Citation, Confidence
from .errors import NotFound
from .messages import Explanation
from .models import Facility
from .money import Money, fen_text
from .parameters import ParameterUse
from .policy import Basis, Status
from .receipts import owed_of


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
    """The amount per ``basis``: for ``per_child_month``, the rate per child and month."""
    children: int | None = Field(default=None, ge=0)
    """For a ``per_child_month`` amount, the number of children it is paid for: the count its rule reads
    (Hangzhou's 普惠 subsidy: ``enrolled``, under the default reading; Sichuan's: ``full_day_enrolled``; Siming's
    allowance: ``staff_children``). None for every other basis, and when the caller did not supply the count
    (the rule lists it in ``missing``: a count is never guessed)."""
    total: AmountRange
    """What the entry is worth to the facility on its :attr:`total_basis`: for ``per_child_month``, ``amount``
    times ``children`` (a monthly sum for the facility; an integer product, never rounded); for every other basis
    the amount itself. A per-child amount whose count is not supplied has the bounds that are known: 0 and no
    upper bound (exactly 0 when the amount is 0). Budgets, tallies and projections add totals, never rates."""
    received: Money = ZERO
    """What was paid toward this programme in the entry's basis period, from the facility's receipts
    (``Facility.received``): ever up to the day assessed for ``one_time``, in the calendar year of the day for
    ``per_year``, in its month for ``per_month`` and ``per_child_month`` (compared with the month's ``total``, not
    the rate). See :mod:`tuoyu_rules.core.receipts`."""
    owed: AmountRange
    """``total`` less ``received``: each bound reduced and floored at 0 (never negative, never more than
    ``total``), an unbounded high staying unbounded; a one-time grant paid at least its low bound is owed 0 (paid
    once). With nothing received, ``total`` itself. Defaults to ``total`` when not given (a stored result made
    before receipts existed)."""
    reasons: tuple[str, ...] = ()
    """Why, as text in the language asked (``lang=``, English by default): ``explanation`` in that language."""
    explanation: tuple[Explanation, ...] = ()
    """The reasons as data, parallel to ``reasons``: each with its stable ``code``, its ``params`` (strings) and
    both texts, ``zh`` and ``en``. The codes and params are the same whatever the language asked."""
    citations: tuple[Citation, ...] = ()
    missing: tuple[str, ...] = ()
    """Facts that would decide an undetermined entry (or settle a refinement's condition): field names of
    :class:`~tuoyu_rules.Facility` (or ``pins[<programme>]``, ``<programme>.start``), labelled in Chinese by the
    glossary's ``field`` terms."""
    parameters: tuple[ParameterUse, ...] = ()
    """Every parameter value the rule read, with its period and citation ids."""
    confidence: Confidence = "official"
    """``secondary`` when any citation the entry rests on is secondary."""

    @model_validator(mode="before")
    @classmethod
    def _owed_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and "owed" not in data and "total" in data:
            total, received = data["total"], data.get("received", ZERO)
            if isinstance(total, AmountRange) and isinstance(received, Decimal):
                return {**data, "owed": owed_of(total, received, data.get("basis", ""))}
            if "received" not in data:  # nothing received: what is owed is the total (JSON data, say)
                return {**data, "owed": total}
        return data

    @model_validator(mode="after")
    def _check_total(self) -> Self:
        if self.owed is not self.total and self.owed != owed_of(self.total, self.received, self.basis):
            problem = "owed must be total less received (each bound floored at 0; a paid one-time grant: 0)"
            raise PydanticCustomError("error.result.owed", problem)
        if self.basis != "per_child_month":
            if self.children is not None:
                problem = "children is counted for a per_child_month amount only, not for a {basis} one"
                raise PydanticCustomError("error.result.children", problem, {"basis": self.basis})
            if self.total is self.amount:  # the engine passes the amount itself: nothing to compare
                return self
        if self.total != entry_total(self.amount, self.basis, self.children):
            problem = "total must be amount times children for a per_child_month amount, else the amount"
            raise PydanticCustomError("error.result.total", problem)
        return self

    @property
    def total_basis(self) -> Basis:
        """The basis of :attr:`total`: ``per_month`` for a ``per_child_month`` amount (a monthly sum for the
        facility), the entry's own basis otherwise."""
        return cast(Basis, total_basis(self.basis))

    @property
    def total_status(self) -> Status:
        """The status a sum counts :attr:`total` under: the entry's status, except that an eligible per-child
        amount whose count was not supplied is ``undetermined`` (its rate is known, its monthly sum is not)."""
        return cast(Status, total_status(self.status, self.basis, self.children))


class Entitlement(_Entry):
    """Money a programme gives (or, when ineligible, does not give) the facility's employer."""


class Obligation(_Entry):
    """A matching duty (配套): ``payer`` must add at least (or exactly) ``ratio`` times the matched grant.

    Its ``total`` is its amount (no matching duty is counted per child today), so a budget adds the totals of
    entitlements and obligations alike.
    """

    matches: str
    """The programme id whose grant is matched."""
    ratio: Ratio | None
    """The multiple of the matched grant (``"1.00"`` in JSON). None when the source states a match but no ratio
    and no amount (the 2024 batch's provincial match, 将给予一定的匹配资金): such an obligation is
    ``undetermined``, its amount is 0 with no upper bound, and its reasons say that the amount is not published.
    Every obligation with a stated ratio is as before (its JSON unchanged)."""
    exact: bool
    """True for an exact ratio (按1:1), False for a minimum (不低于1:1, amount has no upper bound) and for a ratio
    not stated."""


class FrozenModel(BaseModel):
    """The base of a result record: immutable (frozen) and refusing unknown fields. A record that derives from
    it states only its fields, not this configuration again."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class OwedSum(FrozenModel):
    """The base of a sum that says what was received and what is owed beside its ``amount`` (a payer's total, a
    budget's programme total, a projection's line): ``owed`` defaults to ``amount`` (nothing received)."""

    @model_validator(mode="before")
    @classmethod
    def _owed_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and "owed" not in data and "amount" in data and not data.get("received"):
            return {**data, "owed": data["amount"]}
        return data


class PayerTotal(OwedSum):
    """The sum of one payer's eligible totals of one basis (a per-child-month programme's totals are monthly sums,
    under ``per_month``: see :func:`totals_by_payer`), with what was received and what is still owed."""

    payer: str
    basis: Basis
    amount: AmountRange
    undetermined: int = Field(ge=0)
    """How many undetermined entries of this payer and basis are not in ``amount``."""
    received: Money = ZERO
    """The entries' ``received`` summed, whatever their status (what was paid in their basis periods)."""
    owed: AmountRange
    """The eligible entries' ``owed`` summed (the part of ``amount`` not yet received; undetermined entries are in
    neither)."""


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
    """Notes on the assessment as a whole (a division code with no layer of its own, a receipt not applied), in the
    language asked."""
    explanation: tuple[Explanation, ...] = ()
    """The notes as data, parallel to ``notes``: code, params, ``zh`` and ``en``."""
    reform: str | None = None
    """The name of the what-if reform applied, or None for the law as it stands."""
    rules_version: str
    """What produced this result: the package version and a digest of the rules data in force (every layer of
    the chain, bundled or plugin, and the reform if any), ``"0.1.0+rules.<16 hex digits>"``. The same rules
    version and the same input always give the same bytes; store it with the result."""

    def entitlement(self, program: str) -> Entitlement:
        """The entitlement of a programme id; :class:`~tuoyu_rules.core.errors.NotFound` (a KeyError) naming the ids
        present otherwise."""
        for e in self.entitlements:
            if e.program == program:
                return e
        raise NotFound(f"no entitlement {program!r}; present: {', '.join(e.program for e in self.entitlements)}")

    def obligation(self, program: str) -> Obligation:
        for o in self.obligations:
            if o.program == program:
                return o
        raise NotFound(f"no obligation {program!r}; present: {', '.join(o.program for o in self.obligations)}")

    def totals(self) -> tuple[PayerTotal, ...]:
        """Eligible entitlements' and obligations' totals summed by payer and basis (bases are never mixed; a
        per-child-month total is a monthly sum, under ``per_month``)."""
        return totals_by_payer((*self.entitlements, *self.obligations))

    def _repr_html_(self) -> str:
        """A notebook shows the assessment as a compact table: one row per entitlement and obligation (its names,
        status, payer, basis, total and what is owed), every text escaped."""
        esc = html.escape
        said = (self.facility.name or self.facility.id or "", self.jurisdiction, self.on.isoformat(), self.reform or "")
        caption = " · ".join(esc(str(part)) for part in said if part)
        head = "".join(f"<th>{h}</th>" for h in ("programme", "status", "payer", "basis", "total", "owed"))
        rows = "".join(
            f"<tr><td>{esc(e.name_en)}<br><small>{esc(e.name_zh)}</small></td><td>{esc(e.status)}</td>"
            f"<td>{esc(e.payer_en or e.payer)}</td><td>{esc(e.total_basis)}</td><td>{esc(e.total.format())}</td>"
            f"<td>{esc(e.owed.format())}</td></tr>"
            for e in (*self.entitlements, *self.obligations)
        )
        return (
            f'<table class="tuoyu-assessment"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )


def entry_total(amount: AmountRange, basis: str, children: int | None) -> AmountRange:
    """An entry's :attr:`~_Entry.total`: ``amount`` times ``children`` for ``per_child_month`` (exact: an integer
    product needs no rounding), the amount itself for any other basis; a per-child amount with no count is
    ``[0, no upper bound)`` (exactly 0 when the amount is 0)."""
    if basis != "per_child_month":
        return amount
    if children is None:
        return amount if amount.high is not None and amount.high == 0 else AmountRange.unknown()
    return amount.scale(children)[0]


def total_basis(basis: str) -> str:
    """The basis a total is summed on: ``per_month`` for ``per_child_month`` (a monthly sum), else ``basis``."""
    return "per_month" if basis == "per_child_month" else basis


def total_status(status: str, basis: str, children: int | None) -> str:
    """The status a total is summed under: ``undetermined`` for an eligible per-child amount with no count."""
    if status == "eligible" and basis == "per_child_month" and children is None:
        return "undetermined"
    return status


def totals_by_payer(entries: Iterable[_Entry]) -> tuple[PayerTotal, ...]:
    """Sum eligible totals by (payer, total basis); count undetermined entries apart, never as zero.

    Totals, never rates: a per-child-month entry adds its ``total`` (rate times children) under ``per_month``,
    and one whose count was not supplied is counted as undetermined (:attr:`_Entry.total_status`).
    """
    sums: dict[tuple[str, str], list[AmountRange]] = {}
    owed: dict[tuple[str, str], list[AmountRange]] = {}
    received: dict[tuple[str, str], Decimal] = {}
    open_: dict[tuple[str, str], int] = {}
    for e in entries:
        key = (e.payer, e.total_basis)
        sums.setdefault(key, [])
        owed.setdefault(key, [])
        open_.setdefault(key, 0)
        received[key] = received.get(key, ZERO) + e.received
        status = e.total_status
        if status == "eligible":
            sums[key].append(e.total)
            owed[key].append(e.owed)
        elif status == "undetermined":
            open_[key] += 1
    return tuple(
        PayerTotal(
            payer=payer,
            basis=basis,
            amount=total(sums[key]),
            undetermined=open_[key],
            received=received[key],
            owed=total(owed[key]),
        )
        for key in sorted(sums)
        for payer, basis in (key,)
    )
