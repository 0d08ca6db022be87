"""The yearly claims (申领) of the national childcare allowance: when each is made, its last day to apply, and
what a family that did not apply in time forfeits.

Rules (《育儿补贴制度管理规范（试行）》, NHC and Ministry of Finance, 2025-09-18, as reported by 福州新闻网 on
2025-12-08; the citations ``cn.allowance_claims_*`` of ``jurisdictions/cn.toml``):

* born before 2025-01-01: 「首次申请应当在2025年12月31日前提出。逾期未提交申请的,视为自动放弃当年申请资格。」; a
  2022 birth 「可申领1次,应当在2025年提出」; as reported, 2023 births claim twice and 2024 births three times, in
  2025, 2026 and 2027, each year's claim made in that year. The allowance is 「按年计算,每年一次性发放」 (a county
  notice), so the claims are the NHC table's calendar-year columns: the months of :attr:`Allowance.by_year`.
* born on or after 2025-01-01: 「首次申请应在出生当年或次年提出,并在之后的连续两个年度分别提出续领申请」, three
  claims (「可连续申领3年补贴,共计10800元」, NHC Q&A).

Readings, each stated in the claim it shapes (never a guessed date):

* a claim made "in a year" may be made until that year's 31 December: the rules give no earlier day;
* for a birth from 2025, the renewals are timed from the year of the first claim, so until it is made their
  ``year`` and ``apply_by`` are None (``years`` lists the two possible years); if it is never made, the rules do
  not say whether the child can still renew: those claims are ``undetermined``;
* for a birth from 2025, claim *k* covers the *k*-th twelve of the months paid (the sources give 3,600 a claim,
  not its months; the reading matters only under a what-if that changes the monthly rate);
* a claim not applied for by its last day is forfeited: only that claim (「视为自动放弃当年申请资格」), the
  later ones stand;
* applications are matched to claims by the year they were made in (each claim is made in its own year); one
  made in a year with no claim, or a second one in a claim's year, matches nothing and is listed as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final, Literal, NamedTuple

from pydantic import BaseModel, Field

from ..core.citations import Citation
from ..core.errors import InvalidInput, PolicyDataError
from ..core.messages import Explanation, Lang, Message, check_lang, msg
from ..core.money import Money
from ..core.registry import get_policy
from .common import MODEL, ZERO, explain

ClaimStatus = Literal["applied", "open", "forfeited", "undetermined"]
"""``applied``: an application was made in the claim's year, by its last day. ``open``: none yet, and its last
day has not passed (or is not fixed yet) on the day the applications are as of. ``forfeited``: none was made
by its last day. ``undetermined``: the rules do not say (a renewal after a first claim that was never made)."""

FIRST_CLAIM_BY: Final = dt.date(2025, 12, 31)
"""The last day of the first claim of a child born before 2025-01-01 (「首次申请应当在2025年12月31日前提出」)."""

CLAIM_MONTHS: Final = 12
"""A claim of a child born from 2025 is a year's allowance (「按年计算」): 3,600 = 12 months of 300."""

_BEFORE_2025 = "cn.allowance_claims_before_2025"
_BORN_2022 = "cn.allowance_claims_2022"
_BY_YEAR = "cn.allowance_claims_by_year"
_FROM_2025 = "cn.allowance_claims_from_2025"
_THREE = "cn.allowance_three_claims"
_YEARLY = "cn.allowance_paid_yearly"
_TABLE = "cn.allowance_nhc_qa"
_CLAIM_CITES: Final = (_FROM_2025, _THREE, _YEARLY)


class AllowanceClaim(BaseModel):
    """One yearly claim (申领) of the national childcare allowance, with its last day to apply."""

    model_config = MODEL

    number: int = Field(ge=1)
    """1 for the first claim, then in order."""
    year: int | None
    """The calendar year the claim is made in; None while it depends on a claim not yet made (the renewals of a
    child born from 2025 follow the year of its first claim)."""
    years: tuple[int, ...]
    """The years the rules allow the claim to be made in: ``(year,)`` once it is fixed."""
    months: int = Field(ge=1)
    amount: Money
    first_month: dt.date
    """First day of the first month the claim covers."""
    last_month: dt.date
    """First day of the last month the claim covers."""
    apply_by: dt.date | None
    """The last day to apply; None where the rules give none (see ``notes``)."""
    application: dt.date | None = None
    """The application matched to this claim, from ``applied``."""
    status: ClaimStatus | None = None
    """None when no applications were given (``applied=None``)."""
    forfeited: Money | None = None
    """The amount forfeited: ``amount`` when ``status`` is ``forfeited``, else 0.00; None when no applications
    were given."""
    notes: tuple[str, ...]
    """How the year and the last day were read, and what the status means, in the language asked."""
    explanation: tuple[Explanation, ...] = ()
    """The notes as data, parallel to ``notes``: code (``families.claims.<what>``), params, ``zh`` and ``en``."""
    citations: tuple[Citation, ...]


class ClaimSchedule(NamedTuple):
    """What :func:`allowance_claims` gives :func:`~tuoyu_rules.families.childcare_allowance`."""

    claims: tuple[AllowanceClaim, ...]
    unmatched: tuple[dt.date, ...]
    forfeited: Money | None
    reasons: tuple[Message, ...]
    """What the allowance's reasons say of the claims (rendered with them)."""


class _Slot(NamedTuple):
    """A claim before matching: its months, the years it may be made in, its last day, notes and citations."""

    year: int | None
    years: tuple[int, ...]
    months: tuple[tuple[dt.date, Decimal], ...]
    apply_by: dt.date | None
    notes: tuple[Message, ...]
    cites: tuple[str, ...]


def read_applications(
    applied: Iterable[dt.date] | None, as_of: dt.date | None, birth: dt.date
) -> tuple[dt.date, ...] | None:
    """``applied`` as a sorted tuple of dates (None stays None), checked against ``birth`` and ``as_of``.

    :raises InvalidInput: naming ``applied`` or ``as_of``.
    """
    if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
        problem = "{value} is not a date; pass datetime.date"
        raise InvalidInput.coded("as_of", "error.claims.as_of_type", problem, value=repr(as_of))
    if applied is None:
        if as_of is not None:
            problem = "is the day the applications are known up to: give applied as well"
            raise InvalidInput.coded("as_of", "error.claims.as_of_alone", problem)
        return None
    if isinstance(applied, str | bytes | dt.date) or not isinstance(applied, Iterable):
        problem = "{value} is not a collection of dates; pass e.g. (date(2025, 10, 8),)"
        raise InvalidInput.coded("applied", "error.claims.applied_type", problem, value=repr(applied))
    days = tuple(applied)
    for day in days:
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            problem = "{value} is not a date; pass datetime.date values"
            raise InvalidInput.coded("applied", "error.claims.applied_day_type", problem, value=repr(day))
        if day < birth:
            problem = "{day} is before the birth ({birth}): no claim can be made then"
            raise InvalidInput.coded("applied", "error.claims.before_birth", problem, day=day, birth=birth)
        if as_of is not None and day > as_of:
            problem = "{day} is after as_of ({as_of}), the day the applications are known up to"
            raise InvalidInput.coded("applied", "error.claims.after_as_of", problem, day=day, as_of=as_of)
    return tuple(sorted(days))


def _cites(ids: Sequence[str]) -> tuple[Citation, ...]:
    citations = get_policy("cn").citations
    missing = [c for c in ids if c not in citations]
    if missing:
        raise PolicyDataError(f"jurisdictions/cn.toml has no citation {missing[0]!r} (the allowance's claims)")
    return tuple(citations[c] for c in ids)


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _calendar_slots(birth: dt.date, paid: Sequence[tuple[dt.date, Decimal]]) -> list[_Slot]:
    """Born before the scheme: one claim per calendar year with a paid month (the NHC table's columns)."""
    years: dict[int, list[tuple[dt.date, Decimal]]] = {}
    for month, amount in paid:
        years.setdefault(month.year, []).append((month, amount))
    slots = []
    for year, months in years.items():
        if year == FIRST_CLAIM_BY.year:
            cites = (_BEFORE_2025, *((_BORN_2022,) if birth.year == 2022 else ()), _YEARLY, _TABLE)
            note = msg("families.claims.first_before_2025", apply_by=FIRST_CLAIM_BY)
        else:
            cites = (_BY_YEAR, _YEARLY, _TABLE)
            note = msg("families.claims.calendar_year", year=year, apply_by=_year_end(year))
        slots.append(_Slot(year, (year,), tuple(months), _year_end(year), (note,), cites))
    return slots


def _yearly_slots(birth: dt.date, paid: Sequence[tuple[dt.date, Decimal]]) -> list[_Slot]:
    """Born on or after the scheme's start: one claim per twelve months paid, the first in the birth year or the
    next, the renewals in the years after the first claim (their year is fixed when it is matched)."""
    y = birth.year
    slots = []
    for k, i in enumerate(range(0, len(paid), CLAIM_MONTHS), 1):
        months = tuple(paid[i : i + CLAIM_MONTHS])
        cover = msg("families.claims.cover", first=f"{months[0][0]:%Y-%m}", last=f"{months[-1][0]:%Y-%m}")
        if k == 1:
            note = msg("families.claims.first_from_2025", year=y, next_year=y + 1, apply_by=_year_end(y + 1))
            slots.append(_Slot(None, (y, y + 1), months, _year_end(y + 1), (note, cover), _CLAIM_CITES))
        else:
            note = msg("families.claims.renewal_open", renewal=k - 1, year=y + k - 1, next_year=y + k)
            slots.append(_Slot(None, (y + k - 1, y + k), months, None, (note, cover), _CLAIM_CITES))
    return slots


def _fix_renewals(slots: list[_Slot], first_year: int) -> list[_Slot]:
    """The renewals once the first claim was made in ``first_year``: each in its own year after it."""
    fixed = [slots[0]._replace(year=first_year, years=(first_year,))]
    for k, slot in enumerate(slots[1:], 2):
        year = first_year + k - 1
        fixed_year = {"year": year, "first_year": first_year, "apply_by": _year_end(year)}
        note = msg("families.claims.renewal_fixed", renewal=k - 1, **fixed_year)
        fixed.append(slot._replace(year=year, years=(year,), apply_by=_year_end(year), notes=(note, *slot.notes[1:])))
    return fixed


def _status(slot: _Slot, application: dt.date | None, as_of: dt.date | None, first_lost: bool) -> ClaimStatus:
    if application is not None:
        return "applied"
    if slot.apply_by is None:
        return "undetermined" if first_lost else "open"
    return "forfeited" if as_of is None or as_of > slot.apply_by else "open"


def _status_note(status: ClaimStatus, slot: _Slot, application: dt.date | None) -> Message:
    if status == "applied" and application is not None:
        return msg("families.claims.applied", application=application)
    if status == "forfeited" and slot.apply_by is not None:
        return msg("families.claims.forfeited", years="/".join(map(str, slot.years)), apply_by=slot.apply_by)
    if status == "undetermined":  # only a renewal after a first claim not made in time
        return msg("families.claims.undetermined")
    return msg("families.claims.open")


def allowance_claims(
    birth: dt.date,
    scheme_start: dt.date | None,
    paid: Sequence[tuple[dt.date, Decimal]],
    applied: tuple[dt.date, ...] | None,
    as_of: dt.date | None,
    *,
    lang: Lang = "en",
) -> ClaimSchedule:
    """The claims of a child born on ``birth`` paid the months ``paid`` (first day of each, its rate).

    ``applied`` (checked by :func:`read_applications`) are the days the family applied; ``as_of`` the day they
    are known up to (None: they are the complete record, so every last day has passed). ``lang`` is the
    language of each claim's ``notes`` (its ``explanation`` has both).
    """
    lang = check_lang(lang)
    if not paid:
        unmatched = applied or ()
        reasons = tuple(msg("families.claims.unmatched_none_paid", day=d) for d in unmatched)
        return ClaimSchedule((), unmatched, None if applied is None else ZERO, reasons)
    from_scheme = scheme_start is not None and birth >= scheme_start
    slots = _yearly_slots(birth, paid) if from_scheme else _calendar_slots(birth, paid)
    pending = list(applied or ())

    def take(year: int | None) -> dt.date | None:
        found = next((d for d in pending if d.year == year), None)
        if found is not None:
            pending.remove(found)
        return found

    matched: list[dt.date | None] = []
    if from_scheme:
        first = take(slots[0].years[0]) or take(slots[0].years[1])
        if first is not None:
            slots = _fix_renewals(slots, first.year)
        matched = [first, *(take(s.year) if first is not None else None for s in slots[1:])]
    else:
        matched = [take(s.year) for s in slots]

    claims: list[AllowanceClaim] = []
    first_lost = False
    for n, (slot, application) in enumerate(zip(slots, matched, strict=True), 1):
        amount = sum((a for _, a in slot.months), ZERO)
        status = None if applied is None else _status(slot, application, as_of, first_lost and from_scheme)
        if n == 1:
            first_lost = status == "forfeited"
        said = slot.notes if status is None else (*slot.notes, _status_note(status, slot, application))
        notes, explanation = explain(said, lang)
        claims.append(
            AllowanceClaim(
                number=n,
                year=slot.year,
                years=slot.years,
                months=len(slot.months),
                amount=amount,
                first_month=slot.months[0][0],
                last_month=slot.months[-1][0],
                apply_by=slot.apply_by,
                application=application,
                status=status,
                forfeited=None if status is None else (amount if status == "forfeited" else ZERO),
                notes=notes,
                explanation=explanation,
                citations=_cites(slot.cites),
            )
        )
    forfeited = None if applied is None else sum((c.forfeited or ZERO for c in claims), ZERO)
    return ClaimSchedule(tuple(claims), tuple(pending), forfeited, _reasons(claims, tuple(pending), forfeited, as_of))


def _when(claim: AllowanceClaim) -> Message:
    what = {"number": claim.number, "months": claim.months, "amount": claim.amount}
    either = {"year": claim.years[0], "next_year": claim.years[-1]}
    if claim.apply_by is None:
        return msg("families.claims.claim_no_last_day", **either, **what)
    if claim.year is None:
        return msg("families.claims.claim_either_year", apply_by=claim.apply_by, **either, **what)
    return msg("families.claims.claim", year=claim.year, apply_by=claim.apply_by, **what)


def _unmatched(day: dt.date, claims: list[AllowanceClaim]) -> Message:
    same = next((c for c in claims if c.year == day.year and c.application is not None), None)
    if same is not None and same.application is not None:
        other = same.application
        return msg("families.claims.unmatched_taken", day=day, number=same.number, year=day.year, other=other)
    return msg("families.claims.unmatched_no_claim", day=day, year=day.year)


def _reasons(
    claims: list[AllowanceClaim], unmatched: tuple[dt.date, ...], forfeited: Decimal | None, as_of: dt.date | None
) -> tuple[Message, ...]:
    reasons = [
        msg("families.claims.head", count=len(claims)),
        *(_when(c) for c in claims),
        msg("families.claims.by_year", field="by_year"),
    ]
    if forfeited is None:
        return tuple(reasons)
    if as_of is None:
        reasons.append(msg("families.claims.complete_record"))
    else:
        reasons.append(msg("families.claims.as_of", as_of=as_of))
    lost = [c.number for c in claims if c.status == "forfeited"]
    if lost:
        reasons.append(msg("families.claims.forfeited_claims", amount=forfeited, claims=lost))
    else:
        reasons.append(msg("families.claims.forfeited_total", amount=forfeited))
    open_ended = [c for c in claims if c.status == "undetermined"]
    if open_ended:
        amount = sum((c.amount for c in open_ended), ZERO)
        reasons.append(msg("families.claims.undetermined_total", amount=amount))
    reasons.extend(_unmatched(d, claims) for d in unmatched)
    return tuple(reasons)
