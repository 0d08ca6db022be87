"""What-if analysis: pinning discretion, comparing cities, sweeping a parameter.

Pinning (:func:`pin`)
    The sources give ranges (Xiamen's 1.5万~2.5万元 a year) and the granting body decides inside them. An
    analyst who needs single figures asks for a *strategy*, or gives the *awards* already decided. Nothing
    is pinned unless asked, and every choice is reported (:class:`PinChoice`) with its rule:

    * ``"low"``: the range's low bound (always a value the body may choose: allowed values start at low).
      For a range with no upper bound ("at least 150,000") the low bound is the minimum the source sets.
    * ``"high"``: the high bound. A range with no upper bound **cannot** be pinned high: the entry keeps its
      open range and the choice says so (``value=None``); a total that includes it stays open above.
    * ``"mid"``: the midpoint ``(low + high) / 2``, rounded once to the fen with the assessment's rounding
      mode (the choice says when rounding changed it). When the source lists the values the body chooses
      from (Xiamen's construction tiers 50,000 / 80,000 / 100,000), ``mid`` is the **allowed value nearest
      the midpoint, ties going to the lower value** (Xiamen: the midpoint 75,000 lies nearest 80,000). An
      unbounded range has no midpoint: it stays open, as for ``"high"``.
    * an explicit award (``awards={"xiamen.construction_subsidy": "80000"}``) is passed to the engine as a
      pin, which checks it lies inside the range (or is an allowed value); it wins over the strategy.

    Undetermined entries stay undetermined: a strategy never turns "amount not known" into a figure
    (an explicit award can settle an amount the source leaves open, as the engine allows). Ineligible
    entries are 0 and are not touched.

    Entitlements are pinned by re-running :func:`~tuoyu_rules.assess` with ``pins=``, so the matching
    obligations that follow a grant are computed by the engine from the pinned grant (Weifang's county
    match of exactly 1:1 equals the pinned award). An obligation that is still a range after that (a
    minimum ratio, "不低于1:1", has no upper bound) is pinned by the same strategy: ``"low"`` gives the
    minimum the source requires; ``"mid"``/``"high"`` leave it open.

Comparing (:func:`compare`)
    The same facility moved to each city (every registered city by default), with an optional reform.

Sweeping (:func:`sweep`)
    One parameter over a list of values: one :class:`~tuoyu_rules.Reform` per value, and the totals of a
    facility or a portfolio under each (see :mod:`tuoyu_rules.budget`), beside the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from ..core.amounts import AmountRange
from ..core.engine import assess
from ..core.errors import InvalidInput
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING, Money, check_rounding, format_yuan, parse_money, round_money
from ..core.reforms import Reform
from ..core.registry import chain, get_policy, list_jurisdictions
from ..core.results import Assessment, PayerTotal

if TYPE_CHECKING:
    from .budgets import Budget, Row

Strategy = Literal["low", "mid", "high"]
STRATEGIES: tuple[str, ...] = ("low", "mid", "high")

__all__ = [
    "STRATEGIES",
    "Comparison",
    "PinChoice",
    "Pinned",
    "Strategy",
    "choose",
    "compare",
    "pin",
    "sweep",
]


def check_strategy(strategy: object, field: str = "strategy") -> str:
    """Return ``strategy`` if it is ``low``, ``mid`` or ``high``; else raise naming ``field``."""
    if not isinstance(strategy, str) or strategy not in STRATEGIES:
        raise InvalidInput(field, f"{strategy!r} is not a pinning strategy; use one of {', '.join(STRATEGIES)}")
    return strategy


class PinChoice(BaseModel):
    """How one entry's range was (or could not be) turned into a single figure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str
    kind: Literal["entitlement", "obligation"]
    how: str
    """``low``, ``mid``, ``high`` (a strategy) or ``award`` (an explicit amount)."""
    range: AmountRange
    """The range before pinning."""
    value: Money | None
    """The figure chosen; ``None`` when the entry stays open (no upper bound, or undetermined)."""
    rounded: bool = False
    """True when the midpoint was rounded to the fen (with the assessment's rounding mode)."""
    note: str


def choose(amount: AmountRange, strategy: str, *, rounding: str = DEFAULT_ROUNDING) -> tuple[Decimal | None, bool, str]:
    """The figure a strategy picks inside ``amount``: ``(value or None, rounded, explanation)``.

    >>> r = AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000"))
    >>> choose(r, "mid")[0]
    Decimal('80000.00')
    >>> choose(AmountRange.of("15000", "25000"), "mid")[0]
    Decimal('20000.00')
    >>> choose(AmountRange.of("150000", None), "high")[0] is None
    True
    """
    check_strategy(strategy)
    check_rounding(rounding)
    if amount.is_exact:
        return amount.low, False, f"already a single amount, {format_yuan(amount.low)}"
    if strategy == "low":
        if amount.high is None:
            return amount.low, False, f"low: the minimum the source sets, {format_yuan(amount.low)} (no upper bound)"
        return amount.low, False, f"low bound of {amount.format()}: {format_yuan(amount.low)}"
    if amount.high is None:
        return (
            None,
            False,
            f"{strategy}: {amount.format()} has no upper bound, so it has no {strategy} figure; the entry stays "
            "open above and every total that includes it says so",
        )
    if strategy == "high":
        return amount.high, False, f"high bound of {amount.format()}: {format_yuan(amount.high)}"
    exact_mid = (amount.low + amount.high) / 2
    if amount.allowed is not None:
        best = amount.allowed[0]
        for v in amount.allowed[1:]:
            if abs(v - exact_mid) < abs(best - exact_mid):  # strict: a tie keeps the lower value
                best = v
        return (
            best,
            False,
            f"mid: the allowed value nearest the midpoint {format_yuan(exact_mid)} (ties go to the lower value) of "
            f"{amount.format()}: {format_yuan(best)}",
        )
    value, rounded = round_money(exact_mid, rounding)
    note = f"mid: the midpoint of {amount.format()}: {format_yuan(value)}"
    if rounded:
        note += f" (exact midpoint {exact_mid} rounded to the fen, {rounding})"
    return value, rounded, note


class Pinned(BaseModel):
    """An assessment whose ranges were pinned on request, and the choice made for each entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    assessment: Assessment
    strategy: str | None
    choices: tuple[PinChoice, ...]

    def totals(self) -> tuple[PayerTotal, ...]:
        return self.assessment.totals()

    @property
    def open(self) -> tuple[PinChoice, ...]:
        """The entries that could not be pinned (no upper bound, or undetermined)."""
        return tuple(c for c in self.choices if c.value is None)


def pin(
    facility: Facility,
    *,
    on: dt.date,
    strategy: str | None = None,
    awards: Mapping[str, int | str | Decimal] | None = None,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    reform: Reform | None = None,
) -> Pinned:
    """Assess ``facility`` and pin its ranges by ``strategy`` and/or explicit ``awards`` (programme id -> amount).

    See the module docs for the rules. Pure: assessments only, no I/O.

    >>> import datetime as dt
    >>> f = Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    >>> p = pin(f, on=dt.date(2024, 1, 1), strategy="mid")
    >>> p.assessment.entitlement("xiamen.construction_subsidy").amount.low
    Decimal('80000.00')
    """
    if strategy is not None:
        check_strategy(strategy)
    check_rounding(rounding)
    explicit: dict[str, Decimal] = {}
    if awards is not None:
        if not isinstance(awards, Mapping):
            raise InvalidInput("awards", "a mapping of programme id to awarded amount")
        explicit = {k: parse_money(v, f"awards[{k}]") for k, v in awards.items()}
    first = assess(facility, jurisdiction=jurisdiction, on=on, rounding=rounding, pins=explicit or None, reform=reform)
    choices: list[PinChoice] = []
    pins = dict(explicit)
    for program, award in explicit.items():
        e = first.entitlement(program)
        choices.append(
            PinChoice(
                program=program,
                kind="entitlement",
                how="award",
                range=e.amount,
                value=award if e.status != "ineligible" else None,
                note=f"explicit award {format_yuan(award)}"
                + ("" if e.status != "ineligible" else ": not paid, the entry is ineligible"),
            )
        )
    if strategy is None:
        return Pinned(assessment=first, strategy=None, choices=tuple(choices))

    for e in first.entitlements:
        if e.program in explicit or e.status == "ineligible":
            continue
        if e.status == "undetermined":
            choices.append(_open_choice(e.program, "entitlement", strategy, e.amount, e.missing))
            continue
        value, rounded, note = choose(e.amount, strategy, rounding=rounding)
        if value is not None and not e.amount.is_exact:
            pins[e.program] = value
        choices.append(
            PinChoice(
                program=e.program,
                kind="entitlement",
                how=strategy,
                range=e.amount,
                value=value,
                rounded=rounded,
                note=note,
            )
        )
    second = (
        assess(facility, jurisdiction=jurisdiction, on=on, rounding=rounding, pins=pins, reform=reform)
        if pins != explicit
        else first
    )
    obligations = []
    for o in second.obligations:
        if o.status == "undetermined":
            choices.append(_open_choice(o.program, "obligation", strategy, o.amount, o.missing))
            obligations.append(o)
            continue
        if o.status != "eligible" or o.amount.is_exact:
            obligations.append(o)
            continue
        value, rounded, note = choose(o.amount, strategy, rounding=rounding)
        choices.append(
            PinChoice(
                program=o.program,
                kind="obligation",
                how=strategy,
                range=o.amount,
                value=value,
                rounded=rounded,
                note=note,
            )
        )
        if value is None:
            obligations.append(o)
        else:
            obligations.append(
                o.model_copy(
                    update={
                        "amount": AmountRange.exactly(value),
                        "reasons": (*o.reasons, f"pinned by strategy {strategy!r} on request: {note}"),
                    }
                )
            )
    result = second.model_copy(update={"obligations": tuple(obligations)})
    return Pinned(assessment=result, strategy=strategy, choices=tuple(choices))


def _open_choice(
    program: str,
    kind: Literal["entitlement", "obligation"],
    strategy: str,
    amount: AmountRange,
    missing: tuple[str, ...],
) -> PinChoice:
    facts = f" (missing: {', '.join(missing)})" if missing else ""
    return PinChoice(
        program=program,
        kind=kind,
        how=strategy,
        range=amount,
        value=None,
        note=f"undetermined{facts}: a strategy never turns an open entry into a figure; give the fact or an award",
    )


# -- compare ---------------------------------------------------------------------------------------------


class Comparison(BaseModel):
    """The same facility assessed in several cities on one day (under the law, or a reform)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: dt.date
    reform: str | None
    assessments: dict[str, Assessment]
    """City id -> assessment of the facility moved there, in the order of the cities asked for."""

    def to_json_data(self) -> dict[str, Any]:
        """What ``tuoyu compare --format json`` prints: ``{city: Assessment.model_dump(mode="json")}``."""
        return {city: a.model_dump(mode="json") for city, a in self.assessments.items()}

    def table(self) -> list[dict[str, str]]:
        """One row per city and entry (entitlements, then obligations); amounts as strings with two decimals."""
        rows: list[dict[str, str]] = []
        for city, a in self.assessments.items():
            for kind, entries in (("entitlement", a.entitlements), ("obligation", a.obligations)):
                for e in entries:
                    rows.append(
                        {
                            "city": city,
                            "kind": kind,
                            "program": e.program,
                            "payer": e.payer,
                            "basis": e.basis,
                            "status": e.status,
                            "low": _fen(e.amount.low),
                            "high": "" if e.amount.high is None else _fen(e.amount.high),
                            "missing": ";".join(e.missing),
                        }
                    )
        return rows

    def totals(self) -> dict[str, tuple[PayerTotal, ...]]:
        """City id -> eligible amounts by payer and basis (undetermined entries counted apart)."""
        return {city: a.totals() for city, a in self.assessments.items()}


def city_ids() -> tuple[str, ...]:
    """Every registered jurisdiction of level ``city``, sorted (what ``tuoyu compare`` covers)."""
    return tuple(j for j in list_jurisdictions() if get_policy(j).level == "city")


def compare(
    facility: Facility,
    *,
    on: dt.date,
    cities: Sequence[str] | None = None,
    reform: Reform | None = None,
    rounding: str = DEFAULT_ROUNDING,
    pins: Mapping[str, int | str | Decimal] | None = None,
) -> Comparison:
    """Assess ``facility`` moved to each of ``cities`` (default: every registered city).

    ``pins`` may name programmes of several cities; each city gets the pins of its own layers (as
    ``tuoyu compare --pin`` does). A city id that is unknown, or not a city or district, is an error.
    """
    targets = city_ids() if cities is None else tuple(cities)
    if isinstance(cities, str):
        raise InvalidInput("cities", "a list of city ids, not one string")
    results: dict[str, Assessment] = {}
    for city in targets:
        layer_ids = {p.id for p in chain(city)}
        city_pins = {k: v for k, v in (pins or {}).items() if k.split(".", 1)[0] in layer_ids}
        results[city] = assess(
            facility, jurisdiction=city, on=on, rounding=rounding, pins=city_pins or None, reform=reform
        )
    return Comparison(on=on, reform=None if reform is None else reform.name, assessments=results)


# -- sweep -----------------------------------------------------------------------------------------------


def sweep_reforms(parameter: str, values: Sequence[Mapping[str, Any] | AmountRange], *, name: str = "") -> list[Reform]:
    """One reform per value of ``parameter``; a value is a parameter value table or an :class:`AmountRange`."""
    if isinstance(values, (str, bytes)) or not values:
        raise InvalidInput("values", "a non-empty list of parameter values")
    reforms = []
    for i, raw in enumerate(values):
        table = _value_table(raw, f"values[{i}]")
        label = name or parameter
        reforms.append(
            Reform.from_dict(
                {
                    "name": f"{label} = {_render(table)}",
                    "description": f"sweep of {parameter}, value {i + 1} of {len(values)}",
                    "parameters": {parameter: [table]},
                }
            )
        )
    return reforms


def _value_table(raw: Mapping[str, Any] | AmountRange, where: str) -> dict[str, Any]:
    if isinstance(raw, AmountRange):
        table: dict[str, Any] = {"kind": "range", "low": str(raw.low)}
        if raw.high is not None:
            table["high"] = str(raw.high)
        if raw.allowed is not None:
            table["allowed"] = [str(v) for v in raw.allowed]
        return table
    if not isinstance(raw, Mapping):
        raise InvalidInput(where, "a parameter value table such as {'kind': 'range', 'low': '20000', 'high': '30000'}")
    return dict(raw)


def _render(table: Mapping[str, Any]) -> str:
    if table.get("kind") == "range":
        high = table.get("high")
        return f"{table.get('low')}-{'' if high is None else high}"
    keys = [k for k in ("ratio", "count", "low", "high") if k in table]
    return ", ".join(f"{k} {table[k]}" for k in keys) or str(table.get("kind"))


def sweep(
    facilities: Facility | Iterable[Facility | Row] | Callable[[], Iterable[Facility | Row]],
    *,
    on: dt.date,
    parameter: str,
    values: Sequence[Mapping[str, Any] | AmountRange],
    rounding: str = DEFAULT_ROUNDING,
    strategy: str | None = None,
) -> Budget:
    """Totals of one facility or a portfolio under the law and under each value of ``parameter``.

    Returns a :class:`~tuoyu_rules.budget.Budget` whose first scenario is the baseline and whose others are
    the swept values, in order (each reform named ``parameter = value``). The facilities are read once, all
    scenarios side by side, so a streamed portfolio stays flat in memory.
    """
    from .budgets import budget

    reforms = sweep_reforms(parameter, values)
    source: Iterable[Facility | Row]
    if isinstance(facilities, Facility):
        source = (facilities,)
    elif callable(facilities):
        source = facilities()
    else:
        source = facilities
    return budget(source, on=on, reforms=reforms, rounding=rounding, strategy=strategy)


def _fen(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")
