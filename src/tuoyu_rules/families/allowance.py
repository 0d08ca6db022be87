"""The national childcare allowance (育儿补贴, ``cn.childcare_allowance``): what a child born on a day receives.

:func:`childcare_allowance` is pure (no clock, no I/O): the months and amounts come from ``jurisdictions/cn.toml``
(or a what-if ``reform``), never from this module.

Decisions:

* The allowance is paid to the parents of every eligible child, whether or not it attends childcare, as 3,600
  a year; a family's cost (:mod:`tuoyu_rules.families.cost`) shows its monthly rate and does not subtract it.
* Nationality is the yes/no fact ``prc_national`` (中国国籍), not a country code: residents of Hong Kong, Macao
  and Taiwan holding PRC nationality make a code misleading.
* ``by_year`` attributes the months to calendar years; it is not a payment schedule. What a family applies for,
  and by when, is ``claims`` (:mod:`tuoyu_rules.families.claims`, the 2025-09-18 management rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field

from ..core.amounts import AmountRange
from ..core.citations import Citation
from ..core.errors import InvalidInput, PolicyDataError
from ..core.messages import Explanation, Lang, Message, check_lang, msg
from ..core.money import Money, in_money_context
from ..core.parameters import DatedValue, ParameterUse
from ..core.registry import get_policy
from .claims import AllowanceClaim, allowance_claims, read_applications
from .common import MODEL, ZERO, catalog, explain

if TYPE_CHECKING:
    from ..core.reforms import Reform

ALLOWANCE_PROGRAM: Final = "cn.childcare_allowance"
ALLOWANCE_PER_MONTH: Final = "cn.childcare_allowance.per_month"
ALLOWANCE_MONTHS: Final = "cn.childcare_allowance.months_to_age_3"


class AllowanceYear(NamedTuple):
    """What the allowance comes to in one calendar year: ``(year, months, amount)``."""

    year: int
    months: int
    amount: Money


class Allowance(BaseModel):
    """The national childcare allowance (育儿补贴, ``cn.childcare_allowance``) for one child."""

    model_config = MODEL

    program: str = ALLOWANCE_PROGRAM
    birth: dt.date
    prc_national: bool
    third_birthday: dt.date
    """The day the child turns 3 (a 29 February birth turns 3 on 28 February)."""
    eligible: bool
    """True when at least one month is paid."""
    months: int = Field(ge=0)
    """Months of allowance: the months after the birth month up to and including the 3rd-birthday month,
    counted from the scheme's start (2025-01)."""
    per_month: Money | None
    """The monthly rate when one rate applies to every paid month (300); None when rates differ or none is paid."""
    total: Money
    by_year: tuple[AllowanceYear, ...]
    """Months and amount attributed to each calendar year: a calendar attribution, not a payment schedule (for a
    child born from 2025 the claims do not follow the calendar; see ``claims``)."""
    claims: tuple[AllowanceClaim, ...] = ()
    """The yearly claims under the 2025-09-18 management rules, each with its last day to apply; their amounts
    add up to ``total``."""
    applied: tuple[dt.date, ...] | None = None
    """The days the family applied, as given (sorted); None when not given."""
    as_of: dt.date | None = None
    """The day the applications are known up to; None: they are the complete record."""
    forfeited: Money | None = None
    """The total of the claims forfeited (not applied for by their last day); None when ``applied`` was not given."""
    unmatched: tuple[dt.date, ...] = ()
    """Applications that match no claim (made in a year with no claim, or a second in a claim's year)."""
    first_month: dt.date | None
    """First day of the first month counted; None when no month is."""
    last_month: dt.date | None
    """First day of the last month counted (the month of the 3rd birthday); None when no month is."""
    reasons: tuple[str, ...]
    """Why, in the language asked (``lang=``, English by default)."""
    explanation: tuple[Explanation, ...] = ()
    """The reasons as data, parallel to ``reasons``: code (``families.allowance.<what>``, ``families.claims.<what>``),
    params, ``zh`` and ``en``."""
    citations: tuple[Citation, ...]
    parameters: tuple[ParameterUse, ...] = ()


def _value(name: str, day: dt.date, reform: Reform | None) -> tuple[DatedValue | None, bool]:
    if reform is not None:
        override = reform.value(name, day)
        if override is not None:
            return override, True
    param = get_policy("cn").parameters.get(name)
    if param is None:
        raise PolicyDataError(f"jurisdictions/cn.toml has no parameter {name!r} ({ALLOWANCE_PROGRAM})")
    return param.value_on(day), False


def _use(name: str, value: DatedValue, what_if: bool) -> ParameterUse:
    return ParameterUse(name=name, value=value.render(), period=value.period(), citations=value.cites, what_if=what_if)


def _paid_months(
    birth: dt.date, third_birthday: dt.date, prc_national: bool, start: dt.date | None, reform: Reform | None
) -> tuple[list[tuple[dt.date, Decimal]], list[ParameterUse], list[Message]]:
    """The months paid (the first day of each, its rate), the parameters read and the reasons.

    When no month is paid, the last reason says why. ``start`` is the scheme's first day.
    """
    uses: list[ParameterUse] = []
    reasons: list[Message] = []
    if not prc_national:
        reasons.append(msg("families.allowance.not_prc_national", program=ALLOWANCE_PROGRAM))
        return [], uses, reasons

    count_day = birth if start is None or birth >= start else start
    count_value, what_if = _value(ALLOWANCE_MONTHS, count_day, reform)
    if count_value is None or not isinstance(count_value.value, int) or isinstance(count_value.value, bool):
        reasons.append(msg("families.allowance.no_month_count", parameter=ALLOWANCE_MONTHS, day=count_day))
        return [], uses, reasons
    uses.append(_use(ALLOWANCE_MONTHS, count_value, what_if))
    window = count_value.value
    birth_month = dt.date(birth.year, birth.month, 1)
    try:
        end_month = birth_month + relativedelta(months=window)
    except (ValueError, OverflowError):
        problem = "{birth} is too late: its last allowance month is past the year 9999"
        raise InvalidInput.coded("birth", "error.allowance.last_month", problem, birth=birth) from None
    first = f"{birth_month + relativedelta(months=1):%Y-%m}"
    reasons.append(
        msg(
            "families.allowance.window",
            birth=birth,
            third_birthday=third_birthday,
            window=window,
            first=first,
            last=f"{end_month:%Y-%m}",
        )
    )

    paid: list[tuple[dt.date, Decimal]] = []
    seen: dict[tuple[str, bool], DatedValue] = {}
    for i in range(1, window + 1):
        month = birth_month + relativedelta(months=i)
        rate_value, rate_what_if = _value(ALLOWANCE_PER_MONTH, month, reform)
        if rate_value is None:
            continue
        rate = rate_value.value
        if rate is None:
            raise PolicyDataError(f"{ALLOWANCE_PER_MONTH}: the monthly rate for {month:%Y-%m} is not stated")
        if not isinstance(rate, AmountRange) or not rate.is_exact:
            raise PolicyDataError(f"{ALLOWANCE_PER_MONTH}: the monthly rate for {month:%Y-%m} is not one exact amount")
        key = (rate_value.period(), rate_what_if)
        if key not in seen:
            seen[key] = rate_value
            uses.append(_use(ALLOWANCE_PER_MONTH, rate_value, rate_what_if))
        paid.append((month, rate.low))
    if not paid and start is not None:
        reasons.append(msg("families.allowance.no_rate", parameter=ALLOWANCE_PER_MONTH, start=start))
    elif not paid:
        reasons.append(msg("families.allowance.no_rate_no_start", parameter=ALLOWANCE_PER_MONTH))
    return paid, uses, reasons


@in_money_context
def childcare_allowance(
    birth: dt.date,
    *,
    prc_national: bool = True,
    reform: Reform | None = None,
    applied: Iterable[dt.date] | None = None,
    as_of: dt.date | None = None,
    lang: Lang = "en",
) -> Allowance:
    """The national 育儿补贴 a child born on ``birth`` is entitled to (digest ``cn.childcare_allowance``).

    Rule (育儿补贴制度实施方案, 2025-07-28; NHC Q&A, 2025-08-08): 3,600 a child a year, 300 a month, from
    2025-01-01 until the child turns 3; children of PRC nationality. A child born in year Y (2022-2024),
    month M gets (Y + 3 - 2025) * 12 + M months, the month of the 3rd birthday counting; born 2025 or later,
    36 months; born 2021 or earlier, none (it turned 3 before the scheme began).

    One reading gives every case: the months counted are the 36 months *after* the birth month, up to and
    including the month of the 3rd birthday, in which a monthly rate is in force (from 2025-01). For a child
    born from 2025 this places the 36 months from the month after birth; the sources do not say in which
    calendar months its allowance falls (it is paid by the year), so ``by_year`` is an attribution.

    The monthly rate (``cn.childcare_allowance.per_month``, with its start date) and the 36 months
    (``cn.childcare_allowance.months_to_age_3``) are read from ``jurisdictions/cn.toml`` (or a ``reform`` overlay),
    never hard-coded. The month count in force on the birth day applies, or on the scheme's first day for a
    child born before it. There is no clock: the result depends only on ``birth`` (a birth after today is
    computed under the rules in the data, as any other).

    The claims (育儿补贴制度管理规范（试行）, 2025-09-18; :mod:`tuoyu_rules.families.claims`): born before 2025,
    one per calendar year as the NHC table's columns, the first by 2025-12-31; born from 2025, three of 3,600,
    the first in the birth year or the next and the renewals in the two years after it. Each has its last day
    to apply, or None where the rules give none.

    :param prc_national: the child has PRC nationality (中国国籍); False gives 0 months, with the reason.
    :param applied: the days the family applied (a claim's application is the one made in its year); with it,
        each claim says whether it was applied for, is still open or is forfeited, and ``forfeited`` totals it.
    :param as_of: the day ``applied`` is known up to: a claim whose last day is on or after it is still open.
        Without it, ``applied`` is read as the complete record: every claim not applied for is forfeited.
    :param lang: the language of ``reasons`` and of each claim's ``notes``, ``"zh"`` or ``"en"`` (each
        ``explanation`` has both).
    :raises InvalidInput: ``birth`` is not a date, or too late for its 3rd birthday to be a date; an
        application that is not a date, is before the birth or after ``as_of``; ``as_of`` without ``applied``.
    """
    lang = check_lang(lang)
    if not isinstance(birth, dt.date) or isinstance(birth, dt.datetime):
        problem = "{value} is not a date; pass datetime.date (date.fromisoformat('2024-01-15'))"
        raise InvalidInput.coded("birth", "error.allowance.birth", problem, value=repr(birth))
    if not isinstance(prc_national, bool):
        problem = "{value} must be True or False"
        raise InvalidInput.coded("prc_national", "error.allowance.prc_national", problem, value=repr(prc_national))
    program = get_policy("cn").program(ALLOWANCE_PROGRAM)
    try:
        third_birthday = birth + relativedelta(years=3)
    except (ValueError, OverflowError):
        problem = "{birth} is too late: the 3rd birthday is past the year 9999"
        raise InvalidInput.coded("birth", "error.allowance.third_birthday", problem, birth=birth) from None
    applications = read_applications(applied, as_of, birth)
    paid, uses, reasons = _paid_months(birth, third_birthday, prc_national, program.start, reform)
    schedule = allowance_claims(birth, program.start, paid, applications, as_of, lang=lang)

    total = sum((amount for _, amount in paid), ZERO)
    years: dict[int, list[Decimal]] = {}
    for month, amount in paid:
        years.setdefault(month.year, []).append(amount)
    by_year = tuple(AllowanceYear(y, len(a), sum(a, ZERO)) for y, a in sorted(years.items()))
    rates = {amount for _, amount in paid}
    per_month = next(iter(rates)) if len(rates) == 1 else None
    if paid:
        span = {"first": f"{paid[0][0]:%Y-%m}", "last": f"{paid[-1][0]:%Y-%m}"}
        if per_month is not None:
            reasons.append(msg("families.allowance.total", months=len(paid), rate=per_month, total=total, **span))
        else:
            reasons.append(msg("families.allowance.total_rates", months=len(paid), total=total))
        reasons.extend(msg("families.allowance.year", year=y.year, months=y.months, amount=y.amount) for y in by_year)
        reasons.extend(schedule.reasons)
        reasons.append(msg("families.allowance.tax_exempt"))
        if any(u.what_if for u in uses):
            reasons.append(msg("families.allowance.what_if"))
    else:
        reasons.extend(schedule.reasons)
    texts, explanation = explain(reasons, lang, catalog(get_policy("cn").terms))
    return Allowance(
        birth=birth,
        prc_national=prc_national,
        third_birthday=third_birthday,
        eligible=bool(paid),
        months=len(paid),
        per_month=per_month,
        total=total,
        by_year=by_year,
        claims=schedule.claims,
        applied=applications,
        as_of=as_of,
        forfeited=schedule.forfeited,
        unmatched=schedule.unmatched,
        first_month=paid[0][0] if paid else None,
        last_month=paid[-1][0] if paid else None,
        reasons=texts,
        explanation=explanation,
        citations=program.citations,
        parameters=tuple(uses),
    )
