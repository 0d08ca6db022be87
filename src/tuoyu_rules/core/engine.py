"""The engine: apply a jurisdiction and every layer above it to one facility on one day.

It knows nothing about any programme: it walks the layers, asks each money-bearing programme's rule for an
:class:`~tuoyu_rules.core.policy.Outcome`, and wraps that with the programme's payer, basis, citations and the
parameter values read. Entitlements are computed first (every layer), then matching obligations, which see
the grants they match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .amounts import AmountRange
from .boundary import outcome_problem, payer_names, rule_error
from .citations import lowest_confidence
from .context import WATCH, RuleContext, before_reported
from .digest import with_reform
from .errors import AmountOutsideRange, InvalidInput, PolicyDataError, TuoyuError, UnknownProgram
from .messages import DEFAULT_LANG, Catalog, Explanation, Lang, Message, chain_catalog, check_lang, msg, pick
from .models import Facility, locate, pin_ranges
from .money import DEFAULT_ROUNDING, check_rounding, in_money_context, money_context, parse_money
from .parameters import DatedValue
from .policy import Outcome, Policy, Program
from .receipts import Receipt, settle, unapplied
from .reforms import Reform
from .registry import chain as resolve_chain
from .registry import rules_version
from .results import Assessment, Entitlement, Obligation, entry_total

_WORDS = re.compile("[A-Za-z]")
"""A parameter value rendered with words (``exactly 0.5:1``), which a Chinese reason does not quote."""


@in_money_context
def assess(
    facility: Facility,
    *,
    jurisdiction: str | None = None,
    on: dt.date,
    rounding: str = DEFAULT_ROUNDING,
    pins: Mapping[str, int | str | Decimal] | None = None,
    reform: Reform | None = None,
    lang: Lang = DEFAULT_LANG,
) -> Assessment:
    """Assess ``facility`` under the rules in force ``on``.

    :param facility: a validated :class:`~tuoyu_rules.Facility` (``Facility.model_validate(data)`` for JSON).
    :param jurisdiction: apply this city's (or district's) chain instead of the facility's own: a what-if
        move. Its layers above (province, national) come with it. Like ``Facility.jurisdiction`` it may be a
        6-digit GB/T 2260 code: the most specific registered layer applies (a city with no rules of its own is
        assessed with its province, and ``notes`` says so); ``Assessment.jurisdiction`` is the resolved id.
    :param on: the day whose rules apply; a programme not in force that day is ``ineligible`` with its dates.
    :param rounding: the decimal rounding mode for any amount that needs rounding (default ROUND_HALF_UP);
        an entry whose amount was rounded says so in its reasons.
    :param pins: awarded amounts by programme id, for ranges the granting body has already decided
        (Xiamen's construction tier, say). A pin must lie inside a range the law gives the programme; on a day
        whose range does not contain it (a rate meant for another period), it is not applied and the entry says
        so. Designation amounts pin their own programmes, the same way on every day. A rule that splits a
        pinned whole into published shares (Sichuan's 普惠 subsidy) applies the pin itself and clears
        ``ctx.pin``, so a share is never pinned to the whole.
    :param reform: a what-if overlay of parameter values (:class:`~tuoyu_rules.Reform`); every value it
        supplies is flagged ``what_if`` in the result and the entry's reasons say so. The law is untouched.
    :param lang: the language of ``reasons`` and ``notes``, ``"zh"`` or ``"en"`` (the default). Every entry's
        ``explanation`` (and the assessment's, for its notes) has both texts with the stable code and parameters
        they were made from, whatever the language asked.
    :raises UnknownJurisdiction: ``jurisdiction`` is not registered.
    :raises InvalidInput: an argument is of the wrong type, or ``jurisdiction`` is not a city or district (or
        a code below one), or is a malformed or unresolved division code.
    :raises AmountOutsideRange: a pin lies inside no range the law gives its programme.

    Pure: no clock, no I/O; the same input gives the same output, whatever the caller's ``decimal`` context
    (the library computes in its own, :func:`~tuoyu_rules.core.money.money_context`; each rule in a fresh copy).
    """
    if not isinstance(facility, Facility):
        raise InvalidInput.coded(
            "facility",
            "error.arg.facility",
            "expected a tuoyu_rules.Facility, got {type}; use Facility.model_validate(data) for JSON data",
            type=type(facility).__name__,
        )
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        problem = "expected a datetime.date (the day whose rules apply), got {value}"
        raise InvalidInput.coded("on", "error.arg.on", problem, value=repr(on))
    check_rounding(rounding)
    lang = check_lang(lang)
    if reform is not None and not isinstance(reform, Reform):
        problem = "expected a tuoyu_rules.Reform, got {type}"
        raise InvalidInput.coded("reform", "error.arg.reform", problem, type=type(reform).__name__)
    # An id or a GB/T 2260 code; a city code with no layer of its own is assessed with its province (noted).
    policy, place_note = locate(facility.jurisdiction if jurisdiction is None else jurisdiction)
    target = policy.id
    layers = resolve_chain(target)
    # The caller's key is no fact of the law: the rules see the facility without it (the result keeps it).
    seen = facility if facility.id is None else facility.model_copy(update={"id": None})
    catalog = chain_catalog(layers)
    run = _Run(seen, on, rounding, _check_pins(pins, layers), layers, reform, facility.received, catalog, lang)

    # Grants first (every layer), then the matching duties, which see the grants they match. The entries are built
    # without validating them again: every field was made or checked above (the rule's outcome at the boundary,
    # the total, received and owed by their own functions), and a second validation cost a tenth of an
    # assessment. tests/test_properties.py::test_json_round_trip holds each result equal to its validated dump.
    entitlements: dict[str, Entitlement] = {}
    for layer, program in _programs(layers, "entitlement"):
        fields = _evaluate(program, layer, run, entitlements)
        if fields is not None:
            entitlements[program.id] = Entitlement.model_construct(**fields[0])
    obligations: list[Obligation] = []
    for layer, program in _programs(layers, "obligation"):
        fields = _evaluate(program, layer, run, entitlements)
        if fields is not None:
            common, ctx = fields
            assert program.matches is not None  # _evaluate gives None for a duty that matches no grant
            ratio = ctx.last_ratio
            if ratio is None and not _ratio_not_stated(common["status"], ctx):  # a rule bug (a plugin's, say)
                raise PolicyDataError(
                    f"obligation rule {program.id} read no ratio; a matching duty needs one (or, where the source "
                    "states none, an undetermined outcome that read the ratio's not_stated value)"
                )
            obligations.append(
                Obligation.model_construct(
                    **common,
                    matches=program.matches,
                    ratio=None if ratio is None else ratio.value,
                    exact=ratio is not None and ratio.exact,
                )
            )

    layer_ids = {layer.id for layer in layers}
    notes = (() if place_note is None else (place_note,)) + tuple(
        msg("core.designation.other_layer", designation=d.program, year=d.year, owner=owner, target=target)
        for d in facility.designations
        for owner in (d.program.split(".", 1)[0],)
        if owner not in layer_ids
    )
    if run.receipts:  # receipts dated after `on`, or for no entry of this assessment: said, not applied
        notes += unapplied(run.receipts, on, {*entitlements, *(o.program for o in obligations)}, layers, target)
    return Assessment(
        facility=facility,
        on=on,
        jurisdiction=target,
        layers=tuple(layer.id for layer in layers),
        rounding=rounding,
        entitlements=tuple(entitlements.values()),
        obligations=tuple(obligations),
        notes=pick(explained := tuple(catalog.explain(n) for n in notes), lang),
        explanation=explained,
        reform=None if reform is None else reform.name,
        rules_version=with_reform(rules_version(target), reform),
    )


def _programs(layers: tuple[Policy, ...], kind: str) -> Iterator[tuple[Policy, Program]]:
    """Every programme of ``kind`` in the chain, nearest layer first."""
    for layer in layers:
        for program in layer.programs:
            if program.kind == kind:
                yield layer, program


def _check_pins(pins: Mapping[str, int | str | Decimal] | None, layers: tuple[Policy, ...]) -> dict[str, Decimal]:
    if pins is None:
        return {}
    if not isinstance(pins, Mapping):
        raise InvalidInput.coded("pins", "error.pin.not_mapping", "a mapping of programme id to awarded amount")
    known = {p.id for layer in layers for p in layer.programs if p.kind == "entitlement"}
    result: dict[str, Decimal] = {}
    for program_id, value in pins.items():
        if program_id not in known:
            raise UnknownProgram("programme in pins", program_id, known)
        result[program_id] = parse_money(value, f"pins[{program_id}]")
    return result


@dataclass(frozen=True, slots=True)
class _Run:
    """What is fixed for one call of :func:`assess`."""

    facility: Facility
    on: dt.date
    rounding: str
    pins: Mapping[str, Decimal]
    layers: tuple[Policy, ...]
    reform: Reform | None
    receipts: tuple[Receipt, ...]  # Facility.received, read once per run: the fact-keyed cache keys results by it
    catalog: Catalog  # the chain's messages and names, then core's
    lang: Lang


def _evaluate(
    program: Program, layer: Policy, run: _Run, entitlements: Mapping[str, Entitlement]
) -> tuple[dict[str, Any], RuleContext] | None:
    """Run one programme's rule and return the fields of its entry (None: an obligation that does not arise)."""
    facility, on, layers = run.facility, run.on, run.layers
    pin, pin_field = _pin_for(program, facility, run.pins)
    watch = WATCH.get()
    ctx = RuleContext(
        facility=facility,
        on=on,
        program=program,
        policy=layer,
        chain=layers,
        rounding=run.rounding,
        entitlements=entitlements if watch is None else watch.grants(entitlements),
        reform=run.reform,
        pin=pin,
        pin_field=pin_field,
    )
    if program.kind == "obligation":
        matched = entitlements.get(program.matches or "")
        if matched is None or matched.status == "ineligible":
            return None  # no grant, no matching duty
    outcome: Outcome | None
    if not program.in_force_on(on):
        outcome = Outcome("ineligible", AmountRange.zero(), (_not_in_force(program, on),))
        for citation in program.citations:  # the dates may rest on a refinement: cite everything the programme has
            ctx.cite(citation.id)
    else:
        assert program.rule is not None  # build_policy guarantees a rule for money-bearing programmes
        try:
            with money_context():  # a fresh copy for each call: a rule that changes it changes nothing else
                outcome = program.rule(ctx)
        except TuoyuError:
            raise
        except Exception as exc:  # a rule bug (a plugin's, say) must not surface as a bare traceback
            raise rule_error(program, layer, f"failed: {type(exc).__name__}: {exc}") from exc
        if watch is not None:
            outcome = watch.outcome(program.id, outcome)
        problem = outcome_problem(outcome, program)
        if problem is not None:  # caught here, at the boundary, not later as a bare error in every command
            raise rule_error(program, layer, problem)
        if outcome is not None and not program.reported_on(on):
            outcome = before_reported(outcome, program, on)
            for citation in program.citations:  # the earliest dated source, whose date the reason gives
                if citation.published == program.reported_since:
                    ctx.cite(citation.id)
        if ctx.pin is None:  # a rule that applied the pin itself (to its share of the whole) cleared it
            pin = None
    if outcome is None:
        return None
    amount = outcome.amount
    reasons: list[Message] = [r if isinstance(r, Message) else msg("plugin.text", text=r) for r in outcome.reasons]
    if pin is not None:
        if outcome.status == "ineligible":
            reasons.append(msg("core.pin.not_paid", amount=pin, field=pin_field))
        elif amount.contains(pin):
            if amount.low == 0 and amount.high is None:  # no range to be within: the source states no amount
                reasons.append(msg("core.pin.set", amount=pin, field=pin_field))
            else:
                reasons.append(msg("core.pin.applied", amount=pin, field=pin_field, range=amount))
            amount = AmountRange.exactly(pin)
        else:
            # Pins and designation amounts alike (issue 13): an amount inside no range the law gives the programme
            # is an error (a designation's was refused when it was made); one meant for another day's range, or for
            # a period whose amounts are not published (Hangzhou from 2026-02-01), is left unapplied on this day.
            is_designation = pin_field.startswith("designations[")
            ranges = None if is_designation else pin_ranges(program, layer, facility, amount)
            if ranges is not None and not any(r.contains(pin) for r in ranges):
                raise _pin_outside(pin_field, pin, program, ranges)
            code = "core.pin.designation_outside" if is_designation else "core.pin.outside"
            reasons.append(msg(code, amount=pin, field=pin_field, range=amount, on=on))
    what_if = [u for u in ctx.uses if u.what_if]
    if what_if and run.reform is not None:
        # Each value it sets, as "name = value" where the value is figures only (a range, a count); a value in words
        # (a ratio, a choice) by its name: every value is in the entry's parameters (what_if=True) in full.
        changed = ", ".join(u.name if _WORDS.search(u.value) else f"{u.name} = {u.value}" for u in what_if)
        reasons.append(msg("core.what_if", reform=run.reform.name, changes=changed))
    payer_id = outcome.payer or ctx.payer
    try:
        payer_zh, payer_en = payer_names(payer_id, layers)
    except PolicyDataError as exc:  # a joint payer with a part no layer declares: named, with its owner
        raise rule_error(program, layer, f"is paid by an undeclared payer: {exc}") from None
    citations = tuple(ctx.citation(c) for c in ctx.cited)
    basis = outcome.basis or program.basis
    assert basis is not None  # build_policy guarantees a basis for money-bearing programmes
    if outcome.children is not None and basis != "per_child_month":  # a rule bug: named, never a silent total
        raise rule_error(program, layer, f"returned children ({outcome.children}) for a {basis} amount")
    total = entry_total(amount, basis, outcome.children)  # after any pin; computed here, once
    # The receipt step: what was paid toward it in its basis period, and what is still owed.
    received, owed, paid = settle(program.id, basis, outcome.status, total, run.receipts, on)
    fields: dict[str, Any] = {
        "program": program.id,
        "jurisdiction": layer.id,
        "name_zh": program.name_zh,
        "name_en": program.name_en,
        "status": outcome.status,
        "payer": payer_id,
        "payer_zh": payer_zh,
        "payer_en": payer_en,
        "basis": basis,
        "amount": amount,
        "children": outcome.children,
        "total": total,
        "received": received,
        "owed": owed,
        "reasons": pick(explanation := _explain(run, program, layer, (*reasons, *paid)), run.lang),
        "explanation": explanation,
        "citations": citations,
        "missing": outcome.missing,
        "parameters": ctx.uses,
        "confidence": lowest_confidence(citations),
    }
    return fields, ctx


def _explain(run: _Run, program: Program, layer: Policy, messages: tuple[Message, ...]) -> tuple[Explanation, ...]:
    """The messages of an entry rendered in both languages; a code no catalog holds names the rule that used it."""
    try:
        return tuple(run.catalog.explain(m) for m in messages)
    except (PolicyDataError, KeyError, ValueError) as exc:
        raise rule_error(program, layer, f"gave a reason the catalogs cannot render: {exc}") from None


def _not_in_force(program: Program, on: dt.date) -> Message:
    """Why a programme gives nothing on a day outside its dates: the day and the dates the sources state."""
    if program.start is not None and program.end is not None:
        return msg("core.not_in_force.period", on=on, start=program.start, end=program.end)
    if program.start is not None:
        return msg("core.not_in_force.from", on=on, start=program.start)
    return msg("core.not_in_force.until", on=on, end=program.end or on)


def _pin_for(program: Program, facility: Facility, pins: Mapping[str, Decimal]) -> tuple[Decimal | None, str]:
    if program.id in pins:
        return pins[program.id], f"pins[{program.id}]"
    if program.designation is not None:
        d = facility.designation(program.designation)
        if d is not None and d.amount is not None:
            return d.amount, f"designations[{program.designation}].amount"
    return None, ""


def _pin_outside(
    field: str, pin: Decimal, program: Program, ranges: tuple[AmountRange, ...]
) -> AmountOutsideRange:
    """The error of a pin inside none of ``ranges`` (:func:`~tuoyu_rules.core.models.pin_ranges`), coded by the
    ranges' shape, naming the programme."""
    shown = tuple(dict.fromkeys(r.describe_allowed() for r in ranges))
    said = {"value": pin, "program": program.id}
    only = ranges[0]
    if len(shown) > 1:
        problem = "{value} is not {allowed} ({program})"
        return AmountOutsideRange.coded(field, "error.pin.outside", problem, allowed=" nor ".join(shown), **said)
    if only.allowed is not None:
        problem = "{value} is not one of {values} ({program})"
        values = ", ".join(str(v) for v in only.allowed)
        return AmountOutsideRange.coded(field, "error.pin.not_one_of", problem, values=values, **said)
    if only.high is None:
        problem = "{value} is not at least {low} ({program})"
        return AmountOutsideRange.coded(field, "error.pin.below", problem, low=only.low, **said)
    problem = "{value} is not inside [{low}, {high}] ({program})"
    return AmountOutsideRange.coded(field, "error.pin.not_inside", problem, low=only.low, high=only.high, **said)


_NOT_STATED = DatedValue("not_stated", None, None, None, None, (), None).render()
"""How a parameter use records a value the sources leave unstated (``kind = "not_stated"``)."""


def _ratio_not_stated(status: str, ctx: RuleContext) -> bool:
    """Whether an obligation that read no ratio is one whose ratio the source does not state: undetermined, and
    its rule read a ``not_stated`` value (the 2024 batch's provincial match, 将给予一定的匹配资金). Such an
    obligation has ``ratio`` None; any other obligation without a ratio is a rule bug."""
    return status == "undetermined" and any(use.value == _NOT_STATED for use in ctx.uses)
