"""Pinning discretion: turning the ranges the sources leave to the granting body into single figures, on request.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from ..core.amounts import AmountRange
from ..core.engine import assess
from ..core.errors import InvalidInput
from ..core.messages import DEFAULT_LANG, Explanation, Lang, Message, check_lang, msg, package_catalog
from ..core.models import Facility
from ..core.money import (
    DEFAULT_ROUNDING,
    Money,
    check_rounding,
    in_money_context,
    parse_money,
    round_money,
)
from ..core.receipts import owed_of
from ..core.reforms import Reform
from ..core.results import Assessment, FrozenModel, Obligation, PayerTotal, entry_total
from ..io.export import Table, bounds, entries_table, program_names

Strategy = Literal["low", "mid", "high"]
STRATEGIES: tuple[str, ...] = ("low", "mid", "high")

__all__ = ["STRATEGIES", "PinChoice", "Pinned", "Strategy", "check_strategy", "choose", "pin"]


def check_strategy(strategy: object, field: str = "strategy") -> str:
    """Return ``strategy`` if it is ``low``, ``mid`` or ``high``; else raise naming ``field``."""
    if not isinstance(strategy, str) or strategy not in STRATEGIES:
        problem = "{value} is not a pinning strategy; use one of {strategies}"
        raise InvalidInput.coded(
            field, "error.pin.strategy", problem, value=repr(strategy), strategies=", ".join(STRATEGIES)
        )
    return strategy


class PinChoice(FrozenModel):
    """How one entry's range was (or could not be) turned into a single figure."""

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
    """Why this figure, in the language asked (``pin(..., lang=)``)."""
    explanation: Explanation | None = None
    """The note as data: its code, params and both texts."""


@in_money_context
def choose(
    amount: AmountRange, strategy: str, *, rounding: str = DEFAULT_ROUNDING
) -> tuple[Decimal | None, bool, Message]:
    """The figure a strategy picks inside ``amount``: ``(value or None, rounded, why)``, ``why`` a coded message.

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
        return amount.low, False, msg("whatif.pin.single", value=amount.low)
    if strategy == "low":
        if amount.high is None:
            return amount.low, False, msg("whatif.pin.low_unbounded", value=amount.low)
        return amount.low, False, msg("whatif.pin.low", range=amount, value=amount.low)
    if amount.high is None:
        return None, False, msg("whatif.pin.no_upper_bound", strategy=strategy, range=amount)
    if strategy == "high":
        return amount.high, False, msg("whatif.pin.high", range=amount, value=amount.high)
    exact_mid = (amount.low + amount.high) / 2
    if amount.allowed is not None:
        best = amount.allowed[0]
        for v in amount.allowed[1:]:
            if abs(v - exact_mid) < abs(best - exact_mid):  # strict: a tie keeps the lower value
                best = v
        return best, False, msg("whatif.pin.mid_allowed", middle=format(exact_mid, "f"), range=amount, value=best)
    value, rounded = round_money(exact_mid, rounding)
    if rounded:
        note = msg("whatif.pin.mid_rounded", range=amount, value=value, exact=format(exact_mid, "f"), rounding=rounding)
        return value, rounded, note
    return value, rounded, msg("whatif.pin.mid", range=amount, value=value)


class Pinned(FrozenModel):
    """An assessment whose ranges were pinned on request, and the choice made for each entry."""

    assessment: Assessment
    strategy: str | None
    choices: tuple[PinChoice, ...]

    def totals(self) -> tuple[PayerTotal, ...]:
        return self.assessment.totals()

    @property
    def open(self) -> tuple[PinChoice, ...]:
        """The entries that could not be pinned (no upper bound, or undetermined)."""
        return tuple(c for c in self.choices if c.value is None)

    def export_tables(self) -> tuple[Table, ...]:
        """The tables :func:`tuoyu_rules.io.export.tables` writes: ``entries`` and ``choices`` (with the programme's
        names beside its id)."""
        choices = Table(
            "choices",
            ("program", "name_zh", "name_en", "kind", "how", "range_low", "range_high", "value", "rounded", "note"),
            tuple(
                (
                    *(c.program, *program_names(c.program), c.kind, c.how, *bounds(c.range), c.value),
                    *("yes" if c.rounded else "no", c.note),
                )
                for c in self.choices
            ),
        )
        return (entries_table("entries", [(self.assessment.jurisdiction, self.assessment)]), choices)


@in_money_context
def pin(
    facility: Facility,
    *,
    on: dt.date,
    strategy: str | None = None,
    awards: Mapping[str, int | str | Decimal] | None = None,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    reform: Reform | None = None,
    lang: Lang = DEFAULT_LANG,
) -> Pinned:
    """Assess ``facility`` and pin its ranges by ``strategy`` and/or explicit ``awards`` (programme id -> amount).

    See the module docs for the rules. Pure: assessments only, no I/O. ``lang`` (``"zh"`` or ``"en"``) is the
    language of the assessment's reasons and of each choice's ``note``.

    >>> import datetime as dt
    >>> f = Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    >>> p = pin(f, on=dt.date(2024, 1, 1), strategy="mid")
    >>> p.assessment.entitlement("xiamen.construction_subsidy").amount.low
    Decimal('80000.00')
    """
    if strategy is not None:
        check_strategy(strategy)
    check_rounding(rounding)
    lang = check_lang(lang)
    say = _Say(lang)
    explicit: dict[str, Decimal] = {}
    if awards is not None:
        if not isinstance(awards, Mapping):
            raise InvalidInput.coded("awards", "error.pin.awards", "a mapping of programme id to awarded amount")
        explicit = {k: parse_money(v, f"awards[{k}]") for k, v in awards.items()}
    first = assess(
        facility, jurisdiction=jurisdiction, on=on, rounding=rounding, pins=explicit or None, reform=reform, lang=lang
    )
    choices: list[PinChoice] = []
    pins = dict(explicit)
    for program, award in explicit.items():
        e = first.entitlement(program)
        code = "whatif.pin.award" if e.status != "ineligible" else "whatif.pin.award_not_paid"
        choices.append(
            PinChoice(
                program=program,
                kind="entitlement",
                how="award",
                range=e.amount,
                value=award if e.status != "ineligible" else None,
                **say(msg(code, value=award)),
            )
        )
    if strategy is None:
        return Pinned(assessment=first, strategy=None, choices=tuple(choices))

    for e in first.entitlements:
        if e.program in explicit or e.status == "ineligible":
            continue
        if e.status == "undetermined":
            choices.append(_open_choice(e.program, "entitlement", strategy, e.amount, e.missing, say))
            continue
        choice = _strategy_choice(e.program, "entitlement", strategy, e.amount, rounding, say)
        if choice.value is not None and not e.amount.is_exact:
            pins[e.program] = choice.value
        choices.append(choice)
    second = (
        assess(facility, jurisdiction=jurisdiction, on=on, rounding=rounding, pins=pins, reform=reform, lang=lang)
        if pins != explicit
        else first
    )
    obligations = []
    for o in second.obligations:
        if o.status == "undetermined":
            choices.append(_open_choice(o.program, "obligation", strategy, o.amount, o.missing, say))
            obligations.append(o)
            continue
        if o.status != "eligible" or o.amount.is_exact:
            obligations.append(o)
            continue
        choice = _strategy_choice(o.program, "obligation", strategy, o.amount, rounding, say)
        choices.append(choice)
        if choice.value is None:
            obligations.append(o)
        else:
            exact = AmountRange.exactly(choice.value)
            total = entry_total(exact, o.basis, o.children)  # the total follows the pinned amount (budgets add it)
            obligations.append(
                o.model_copy(
                    update={
                        "amount": exact,
                        "total": total,
                        "owed": owed_of(total, o.received, o.basis),
                        **_with_reason(
                            o, say.explain(msg("whatif.pin.by_strategy", strategy=strategy, value=exact.low)), lang
                        ),
                    }
                )
            )
    result = second.model_copy(update={"obligations": tuple(obligations)})
    return Pinned(assessment=result, strategy=strategy, choices=tuple(choices))


def _strategy_choice(
    program: str,
    kind: Literal["entitlement", "obligation"],
    strategy: str,
    amount: AmountRange,
    rounding: str,
    say: _Say,
) -> PinChoice:
    """The choice ``strategy`` makes inside an entry's ``amount`` (see :func:`choose`)."""
    value, rounded, note = choose(amount, strategy, rounding=rounding)
    return PinChoice(program=program, kind=kind, how=strategy, range=amount, value=value, rounded=rounded, **say(note))


def _open_choice(
    program: str,
    kind: Literal["entitlement", "obligation"],
    strategy: str,
    amount: AmountRange,
    missing: tuple[str, ...],
    say: _Say,
) -> PinChoice:
    code = "whatif.pin.open_missing" if missing else "whatif.pin.open"
    return PinChoice(
        program=program, kind=kind, how=strategy, range=amount, value=None, **say(msg(code, fields=missing))
    )


class _Say:
    """Renders the package's messages in the language asked: ``say(m)`` gives a choice's ``note`` and
    ``explanation`` fields."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.catalog = package_catalog("tuoyu_rules.whatif")

    def explain(self, message: Message) -> Explanation:
        return self.catalog.explain(message)

    def __call__(self, message: Message) -> dict[str, Any]:
        explained = self.catalog.explain(message)
        return {"note": explained.text(self.lang), "explanation": explained}


def _with_reason(entry: Obligation, reason: Explanation, lang: Lang) -> dict[str, Any]:
    """The fields of ``entry`` with one more reason, in ``reasons`` and ``explanation`` alike."""
    return {"reasons": (*entry.reasons, reason.text(lang)), "explanation": (*entry.explanation, reason)}
