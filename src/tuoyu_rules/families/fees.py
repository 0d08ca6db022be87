"""Families and parents: what a family pays for a childcare place, and what the state gives it.

Four pure functions, no clock and no I/O:

* :func:`parent_fee` - the monthly fee a facility charges a parent (the market price, a share of it, or a
  flat fee), the parent's net after an employer's monthly allowance, and a check against a price ceiling.
  It is generic: it knows no jurisdiction, and cites a clause only when the caller names it (``cite``).
* :func:`alliance_fee` and :func:`alliance_price_check` - Hangzhou's alliance rule (杭州, seed 000):
  "在保障本单位职工子女入托的前提下,可以同等的价格向联盟单位开放托位": once its own employees' children are
  placed, a member unit may open places to other member units' employees **at the same price**.
* :func:`childcare_allowance` - the national 育儿补贴 (``cn.childcare_allowance``) for a child born on a day.
* :func:`family_monthly_cost` - one child at one facility: the fee, less the employer's allowance and any
  district allowance that reaches the family, with the national allowance shown alongside.

Decisions (documented here and in each result's ``steps``):

* Money is exact ``Decimal`` yuan. The fee is rounded once, to the fen, only when a share makes it
  fractional (ROUND_HALF_UP by default, configurable); a step says so when rounding changed the figure.
* A price ceiling (``cap``: Chengdu's "服务价格不高于当地普惠托育托管服务收费标准", Fujian's local 普惠 price)
  is *checked*, never applied: a fee above it is reported as charged with ``within_cap=False``; nothing is
  lowered silently.
* An allowance larger than the fee leaves a net of 0: the excess is not counted as a payment to the family.
* The national allowance is paid to the parents of every eligible child, whether or not it attends
  childcare, as 3,600 a year; :func:`family_monthly_cost` shows its monthly rate beside the net cost and
  does **not** subtract it.
* Siming's district allowance (``xiamen.siming_allowance``, 100 per employee's child per month) is
  granted by the district union through the employer (it is an entitlement of the facility's employer in
  an :class:`~tuoyu_rules.Assessment`); whether it reaches the parent is the employer's arrangement. The
  family cost subtracts it only when the caller passes that entitlement on (``passed_on``) or states an
  amount (``district_allowance``).
* Nationality for the national allowance is the yes/no fact ``prc_national`` (中国国籍), not a country
  code: residents of Hong Kong, Macao and Taiwan holding PRC nationality make a code misleading.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Final, NamedTuple

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from ..core.amounts import AmountRange
from ..core.citations import Citation
from ..core.errors import InvalidInput, PolicyDataError, TuoyuError
from ..core.money import DEFAULT_ROUNDING, Money, check_rounding, format_yuan, parse_money, round_money
from ..core.parameters import DatedValue, ParameterUse
from ..core.registry import get_policy

if TYPE_CHECKING:
    from ..core.reforms import Reform
    from ..core.results import Entitlement

__all__ = [
    "ALLIANCE_CITATION",
    "ALLIANCE_PROGRAM",
    "ALLOWANCE_PROGRAM",
    "AllianceCheck",
    "Allowance",
    "AllowanceYear",
    "FamilyCost",
    "FeeQuote",
    "alliance_fee",
    "alliance_price_check",
    "childcare_allowance",
    "family_monthly_cost",
    "parent_fee",
]

ALLOWANCE_PROGRAM: Final = "cn.childcare_allowance"
ALLOWANCE_PER_MONTH: Final = "cn.childcare_allowance.per_month"
ALLOWANCE_MONTHS: Final = "cn.childcare_allowance.months_to_age_3"
ALLIANCE_PROGRAM: Final = "hangzhou.alliance_price"
ALLIANCE_CITATION: Final = "hangzhou.seed_alliance_price"

ZERO: Final = Decimal("0.00")
MAX_SHARE_DECIMALS: Final = 28
"""A share has at most 28 decimals (a Decimal division such as ``Decimal(1) / 3`` gives 28)."""

Share = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json")]
Signed = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json")]

_MODEL = ConfigDict(frozen=True, extra="forbid")


# -- citations named by the caller ---------------------------------------------------------------------------


def cited(ids: str | Sequence[str], field: str = "cite") -> tuple[Citation, ...]:
    """The citations with these ids (``qianan.seed_merchant_children``), read from their jurisdictions.

    A citation id starts with its jurisdiction's id; an unknown id raises :class:`InvalidInput` naming
    ``field`` and listing the ids that jurisdiction has.
    """
    if isinstance(ids, str):
        ids = (ids,)
    found: list[Citation] = []
    for cid in ids:
        if not isinstance(cid, str) or "." not in cid:
            raise InvalidInput(field, f"{cid!r} is not a citation id such as 'qianan.seed_merchant_children'")
        try:
            policy = get_policy(cid.split(".", 1)[0])
        except TuoyuError as exc:
            raise InvalidInput(field, f"{cid!r}: {exc}") from None
        citation = policy.citations.get(cid)
        if citation is None:
            known = ", ".join(sorted(policy.citations)) or "(none)"
            raise InvalidInput(field, f"unknown citation {cid!r}; {policy.id} has: {known}")
        if citation not in found:
            found.append(citation)
    return tuple(found)


# -- parent fee ------------------------------------------------------------------------------------------------


class FeeQuote(BaseModel):
    """What a facility charges a parent a month, what the parent bears, and whether it keeps a price cap."""

    model_config = _MODEL

    market_monthly: Money
    """The facility's market price a month (市场价格)."""
    share: Share | None = None
    """The fraction of the market price charged, when a share was given (0.85, 0.5)."""
    flat: Money | None = None
    """A fixed monthly fee charged instead of the market price, when given (the Henan college's 800)."""
    fee: Money
    """What the facility charges a month, rounded once to the fen."""
    allowance_monthly: Money
    """The employer's monthly allowance to the parent (Qian'an's 200)."""
    net: Money
    """What the parent bears a month: ``fee - allowance_monthly``, never below 0."""
    cap: Money | None = None
    """The price ceiling checked (a local 普惠 fee standard), when given."""
    within_cap: bool
    """``fee <= cap``; True when there is no cap."""
    over_cap: Money = ZERO
    """How far the fee is above the cap (0 when within it or with no cap)."""
    rounding: str
    rounded: bool
    """Whether rounding to the fen changed the fee."""
    steps: tuple[str, ...]
    """Each step of the calculation, in order."""
    citations: tuple[Citation, ...] = ()
    """The clauses the caller named (``cite``); a generic quote cites nothing."""


def parse_share(value: object, field: str = "share") -> Decimal:
    """A fraction of the market price in [0, 1], exact: ``int``, ``str`` or ``Decimal``; never a float."""
    if isinstance(value, bool):
        raise InvalidInput(field, f"{value!r} is a bool, not a fraction; pass a str such as '0.85' or a Decimal")
    if isinstance(value, float):
        raise InvalidInput(
            field, f"{value!r} is a binary float, which cannot hold a fraction exactly; pass '0.85' or Decimal('0.85')"
        )
    if isinstance(value, int):
        share = Decimal(value)
    elif isinstance(value, Decimal):
        share = value
    elif isinstance(value, str):
        try:
            share = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise InvalidInput(field, f"{value!r} is not a number; pass a fraction such as '0.85'") from None
    else:
        raise InvalidInput(field, f"{type(value).__name__} is not a fraction; pass a str such as '0.85' or a Decimal")
    if not share.is_finite():
        raise InvalidInput(field, f"{value!r} is not a finite fraction")
    if share < 0 or share > 1:
        raise InvalidInput(field, f"{value!r} is outside [0, 1]: the share is a fraction of the market price")
    share = _strip_zeros(share)
    exponent = share.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_SHARE_DECIMALS:
        raise InvalidInput(
            field, f"{value!r} has more than {MAX_SHARE_DECIMALS} decimals; give the fraction to at most that many"
        )
    return share


def _strip_zeros(value: Decimal) -> Decimal:
    """``0.50`` -> ``0.5``, ``0E-9`` -> ``0``: drop trailing fractional zeros exactly (no context rounding)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return Decimal(0)
    kept = list(digits)
    while exponent < 0 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    return Decimal((sign, tuple(kept), exponent))


def _exact_product(a: Decimal, b: Decimal) -> Decimal:
    """``a * b`` with no rounding at all (enough precision for every digit), so the fee rounds only once."""
    digits = len(a.as_tuple().digits) + len(b.as_tuple().digits) + 2
    with decimal.localcontext() as ctx:
        ctx.prec = max(digits, 28)
        ctx.Emin, ctx.Emax = decimal.MIN_EMIN, decimal.MAX_EMAX
        ctx.traps[decimal.Inexact] = True
        return a * b


def parent_fee(
    market_monthly: int | str | Decimal,
    *,
    share: int | str | Decimal | None = None,
    flat: int | str | Decimal | None = None,
    allowance_monthly: int | str | Decimal = 0,
    cap: int | str | Decimal | None = None,
    rounding: str = DEFAULT_ROUNDING,
    cite: str | Sequence[str] = (),
) -> FeeQuote:
    """The monthly fee a parent is charged, the net after an employer allowance, and a cap check.

    :param market_monthly: the facility's market price a month (yuan; int, str or Decimal).
    :param share: charge this fraction of the market price (``Decimal("0.85")``: Qian'an's merchants'
        children "以市场价格85%就读"; ``"0.5"``: "按市场价格半价就读"). In [0, 1]; a float is refused.
    :param flat: charge this fixed fee a month instead (the Henan college's "每月托育费用仅800元").
        At most one of ``share`` and ``flat``; with neither, the fee is the market price.
    :param allowance_monthly: the employer's monthly allowance to the parent (Qian'an's "每月200元").
    :param cap: a price ceiling, checked not applied (Chengdu's local 普惠 standard, Fujian's 普惠 price).
    :param rounding: the decimal rounding mode for the one rounding to the fen (default ROUND_HALF_UP).
    :param cite: citation ids the quote rests on (``"qianan.seed_merchant_children"``), attached as given.
    :raises InvalidInput: naming the argument (``MoneyError`` for an amount).

    >>> q = parent_fee("1000", share="0.85", allowance_monthly=200)
    >>> (q.fee, q.net, q.within_cap)
    (Decimal('850.00'), Decimal('650.00'), True)
    """
    rounding = check_rounding(rounding)
    market = parse_money(market_monthly, "market_monthly")
    if share is not None and flat is not None:
        raise InvalidInput("share, flat", "give a share of the market price or a flat fee, not both")
    share_value = None if share is None else parse_share(share)
    flat_value = None if flat is None else parse_money(flat, "flat")
    allowance = parse_money(allowance_monthly, "allowance_monthly")
    cap_value = None if cap is None else parse_money(cap, "cap")
    citations = cited(cite)

    steps = [f"market price: {format_yuan(market)} a month"]
    rounded = False
    if flat_value is not None:
        fee = flat_value
        steps.append(f"flat fee {format_yuan(fee)} a month replaces the market price (the market price is not used)")
    elif share_value is not None:
        exact = _exact_product(market, share_value)
        fee, rounded = round_money(exact, rounding)
        steps.append(
            f"share {format(share_value, 'f')} of the market price: "
            f"{format_yuan(market)} × {format(share_value, 'f')} = {format(exact, 'f')}"
        )
        if rounded:
            steps.append(f"rounded once to the fen ({rounding}): fee {format_yuan(fee)}")
        else:
            steps.append(f"fee {format_yuan(fee)} (exact to the fen, no rounding)")
    else:
        fee = market
        steps.append(f"no share or flat fee: the fee is the market price, {format_yuan(fee)}")

    if allowance == 0:
        net = fee
        steps.append(f"no employer allowance: net {format_yuan(net)}")
    elif allowance <= fee:
        net = fee - allowance
        steps.append(
            f"employer allowance {format_yuan(allowance)} a month: net {format_yuan(fee)} − "
            f"{format_yuan(allowance)} = {format_yuan(net)}"
        )
    else:
        net = ZERO
        steps.append(
            f"employer allowance {format_yuan(allowance)} a month is more than the fee {format_yuan(fee)}: "
            f"net 0.00 (the excess {format_yuan(allowance - fee)} is not counted as paid to the family)"
        )

    over = ZERO
    if cap_value is None:
        within = True
        steps.append("no price cap given: within_cap is True")
    elif fee <= cap_value:
        within = True
        steps.append(f"cap {format_yuan(cap_value)}: fee {format_yuan(fee)} is within it")
    else:
        within = False
        over = fee - cap_value
        steps.append(
            f"cap {format_yuan(cap_value)}: fee {format_yuan(fee)} is above it by {format_yuan(over)} "
            "(not within the cap; the fee is reported as charged, not lowered)"
        )
    return FeeQuote(
        market_monthly=market,
        share=share_value,
        flat=flat_value,
        fee=fee,
        allowance_monthly=allowance,
        net=net.quantize(ZERO),
        cap=cap_value,
        within_cap=within,
        over_cap=over,
        rounding=rounding,
        rounded=rounded,
        steps=tuple(steps),
        citations=citations,
    )


# -- Hangzhou: the alliance's same price ----------------------------------------------------------------------


class AllianceCheck(BaseModel):
    """Whether another alliance member's employees are charged what the unit charges its own (杭州, 同等的价格)."""

    model_config = _MODEL

    program: str = ALLIANCE_PROGRAM
    own_staff_fee: Money
    """What the unit charges its own employees' children a month."""
    member_fee: Money
    """What it charges an alliance member unit's employees' children a month."""
    difference: Signed
    """``member_fee - own_staff_fee`` (negative when the member pays less)."""
    same_price: bool
    own_staff_placed: bool | None
    """The unit's own employees' children are placed first (保障本单位职工子女入托); None: not supplied."""
    complies: bool
    """Same price, and own staff not known to be left unplaced."""
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...]


def _alliance_citations() -> tuple[Citation, ...]:
    policy = get_policy("hangzhou")
    citation = policy.citations.get(ALLIANCE_CITATION)
    if citation is None:
        raise PolicyDataError(
            f"jurisdictions/hangzhou.toml has no citation {ALLIANCE_CITATION!r} (the alliance price clause)"
        )
    return (citation,)


def _fee_of(value: FeeQuote | int | str | Decimal, field: str) -> Decimal:
    if isinstance(value, FeeQuote):
        return value.fee
    return parse_money(value, field)


def alliance_price_check(
    own_staff_fee: FeeQuote | int | str | Decimal,
    member_fee: FeeQuote | int | str | Decimal,
    *,
    own_staff_placed: bool | None = None,
) -> AllianceCheck:
    """Check Hangzhou's alliance rule: member units' employees pay the same price as the unit's own staff.

    Seed 000 (杭州): "在保障本单位职工子女入托的前提下,可以同等的价格向联盟单位开放托位". The rule is a
    permission with a condition: the unit's own employees' children are placed first, and places opened to
    the alliance are at the same price. ``own_staff_placed`` is that condition: False breaks it; None (not
    supplied) is listed in ``missing`` and does not change the finding on the price.
    """
    own = _fee_of(own_staff_fee, "own_staff_fee")
    member = _fee_of(member_fee, "member_fee")
    if own_staff_placed is not None and not isinstance(own_staff_placed, bool):
        raise InvalidInput("own_staff_placed", f"{own_staff_placed!r} must be True, False or None")
    difference = member - own
    same = difference == 0
    reasons = []
    if same:
        reasons.append(f"alliance members' employees pay {format_yuan(member)}, the same price as the unit's own staff")
    else:
        word = "more" if difference > 0 else "less"
        reasons.append(
            f"alliance members' employees pay {format_yuan(member)}, {format_yuan(abs(difference))} {word} than the "
            f"unit's own staff ({format_yuan(own)}): the rule asks for the same price (同等的价格)"
        )
    missing: tuple[str, ...] = ()
    if own_staff_placed is None:
        missing = ("own_staff_placed",)
        reasons.append("own_staff_placed not supplied: the rule opens places once the unit's own staff are placed")
    elif not own_staff_placed:
        reasons.append("the unit's own employees' children are not all placed: places open to the alliance only after")
    else:
        reasons.append("the unit's own employees' children are placed first, as the rule requires")
    return AllianceCheck(
        own_staff_fee=own,
        member_fee=member,
        difference=difference,
        same_price=same,
        own_staff_placed=own_staff_placed,
        complies=same and own_staff_placed is not False,
        reasons=tuple(reasons),
        missing=missing,
        citations=_alliance_citations(),
    )


def alliance_fee(
    own_staff_fee: FeeQuote | int | str | Decimal,
    *,
    allowance_monthly: int | str | Decimal = 0,
    cap: int | str | Decimal | None = None,
    rounding: str = DEFAULT_ROUNDING,
) -> FeeQuote:
    """The fee an alliance member unit's employee pays at a Hangzhou alliance facility: the own staff's price.

    ``own_staff_fee`` is the unit's own staff fee (an amount, or the :class:`FeeQuote` that computed it).
    ``allowance_monthly`` is the allowance of the parent's *own* employer, if any. The quote cites
    ``hangzhou.seed_alliance_price`` ("可以同等的价格向联盟单位开放托位").
    """
    own = _fee_of(own_staff_fee, "own_staff_fee")
    market = own_staff_fee.market_monthly if isinstance(own_staff_fee, FeeQuote) else own
    quote = parent_fee(market, flat=own, allowance_monthly=allowance_monthly, cap=cap, rounding=rounding)
    step = (
        f"Hangzhou alliance rule (同等的价格): an alliance member's employee pays the unit's own staff fee, "
        f"{format_yuan(own)} a month"
    )
    return quote.model_copy(update={"steps": (step, *quote.steps), "citations": _alliance_citations()})


# -- national childcare allowance (育儿补贴) ------------------------------------------------------------------


class AllowanceYear(NamedTuple):
    """What the allowance comes to in one calendar year: ``(year, months, amount)``."""

    year: int
    months: int
    amount: Money


class Allowance(BaseModel):
    """The national childcare allowance (育儿补贴, ``cn.childcare_allowance``) for one child."""

    model_config = _MODEL

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
    """Months and amount attributed to each calendar year (an attribution, not a payment schedule)."""
    first_month: dt.date | None
    """First day of the first month counted; None when no month is."""
    last_month: dt.date | None
    """First day of the last month counted (the month of the 3rd birthday); None when no month is."""
    reasons: tuple[str, ...]
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


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _use(name: str, value: DatedValue, what_if: bool) -> ParameterUse:
    return ParameterUse(name=name, value=value.render(), period=value.period(), citations=value.cites, what_if=what_if)


def childcare_allowance(
    birth: dt.date,
    *,
    prc_national: bool = True,
    reform: Reform | None = None,
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

    :param prc_national: the child has PRC nationality (中国国籍); False gives 0 months, with the reason.
    :raises InvalidInput: ``birth`` is not a date, or too late for its 3rd birthday to be a date.
    """
    if not isinstance(birth, dt.date) or isinstance(birth, dt.datetime):
        raise InvalidInput("birth", f"{birth!r} is not a date; pass datetime.date (date.fromisoformat('2024-01-15'))")
    if not isinstance(prc_national, bool):
        raise InvalidInput("prc_national", f"{prc_national!r} must be True or False")
    policy = get_policy("cn")
    program = policy.program(ALLOWANCE_PROGRAM)
    citations = program.citations
    try:
        third_birthday = birth + relativedelta(years=3)
    except (ValueError, OverflowError):
        raise InvalidInput("birth", f"{birth} is too late: the 3rd birthday is past the year 9999") from None
    uses: list[ParameterUse] = []
    reasons: list[str] = []

    def none(*why: str) -> Allowance:
        return Allowance(
            birth=birth,
            prc_national=prc_national,
            third_birthday=third_birthday,
            eligible=False,
            months=0,
            per_month=None,
            total=ZERO,
            by_year=(),
            first_month=None,
            last_month=None,
            reasons=(*reasons, *why),
            citations=citations,
            parameters=tuple(uses),
        )

    if not prc_national:
        return none(f"{ALLOWANCE_PROGRAM}: the allowance is for children of PRC nationality (中国国籍); none is paid")

    count_day = birth if program.start is None or birth >= program.start else program.start
    count_value, what_if = _value(ALLOWANCE_MONTHS, count_day, reform)
    if count_value is None or not isinstance(count_value.value, int) or isinstance(count_value.value, bool):
        return none(f"no month count ({ALLOWANCE_MONTHS}) is in force on {count_day}: no allowance")
    uses.append(_use(ALLOWANCE_MONTHS, count_value, what_if))
    window = count_value.value
    birth_month = dt.date(birth.year, birth.month, 1)
    try:
        end_month = birth_month + relativedelta(months=window)
    except (ValueError, OverflowError):
        raise InvalidInput("birth", f"{birth} is too late: its last allowance month is past the year 9999") from None
    reasons.append(
        f"born {birth}, turns 3 on {third_birthday}: the months counted are the {window} after the birth month, "
        f"{(birth_month + relativedelta(months=1)).strftime('%Y-%m')} to {end_month.strftime('%Y-%m')} "
        "(the month of the 3rd birthday counts), in which a monthly rate is in force"
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

    if not paid:
        return none(
            f"no monthly rate ({ALLOWANCE_PER_MONTH}) is in force in any of those months "
            f"(the scheme starts {program.start}): the child turned 3 before it; no allowance"
        )
    rates = {amount for _, amount in paid}
    total = sum((amount for _, amount in paid), ZERO)
    years: dict[int, list[Decimal]] = {}
    for month, amount in paid:
        years.setdefault(month.year, []).append(amount)
    by_year = tuple(AllowanceYear(y, len(a), sum(a, ZERO)) for y, a in sorted(years.items()))
    per_month = next(iter(rates)) if len(rates) == 1 else None
    if per_month is not None:
        reasons.append(
            f"{_months(len(paid))} × {format_yuan(per_month)} = {format_yuan(total)} "
            f"({paid[0][0]:%Y-%m} to {paid[-1][0]:%Y-%m})"
        )
    else:
        reasons.append(f"{len(paid)} months at the rates in force each month: {format_yuan(total)}")
    reasons.append("; ".join(f"{y.year}: {_months(y.months)}, {format_yuan(y.amount)}" for y in by_year))
    reasons.append("exempt from personal income tax (育儿补贴免征个人所得税)")
    if any(u.what_if for u in uses):
        reasons.append("rests on a what-if reform, not on the law")
    return Allowance(
        birth=birth,
        prc_national=prc_national,
        third_birthday=third_birthday,
        eligible=True,
        months=len(paid),
        per_month=per_month,
        total=total,
        by_year=by_year,
        first_month=paid[0][0],
        last_month=paid[-1][0],
        reasons=tuple(reasons),
        citations=citations,
        parameters=tuple(uses),
    )


# -- a family's monthly cost ------------------------------------------------------------------------------------


class FamilyCost(BaseModel):
    """One child at one facility: the fee, less allowances that reach the family, per month."""

    model_config = _MODEL

    quote: FeeQuote
    """The parent-fee quote (fee, employer allowance, cap check)."""
    fee: Money
    employer_allowance: Money
    district_allowance: Money
    """District allowances that reach the family a month (stated, or passed on from an assessment)."""
    net: Money
    """``fee - employer_allowance - district_allowance``, never below 0."""
    national_allowance_per_month: Money | None = None
    """The national 育儿补贴's monthly rate for this child (shown, not subtracted); None without ``birth``."""
    national_allowance: Allowance | None = None
    steps: tuple[str, ...]
    citations: tuple[Citation, ...] = ()


def _passed_on_amount(entry: Entitlement, i: int) -> Decimal:
    from ..core.results import Entitlement

    field = f"passed_on[{i}]"
    if not isinstance(entry, Entitlement):
        raise InvalidInput(field, f"expected an Entitlement from tr.assess(...), got {type(entry).__name__}")
    if entry.status != "eligible":
        raise InvalidInput(field, f"{entry.program} is {entry.status}, not eligible: nothing to pass on")
    if entry.basis != "per_child_month":
        raise InvalidInput(field, f"{entry.program} is paid {entry.basis}, not per child per month")
    if not entry.amount.is_exact:
        raise InvalidInput(
            field, f"{entry.program} is a range ({entry.amount.format()}), not one amount: state the amount instead"
        )
    return entry.amount.low


def family_monthly_cost(
    market_monthly: int | str | Decimal,
    *,
    share: int | str | Decimal | None = None,
    flat: int | str | Decimal | None = None,
    cap: int | str | Decimal | None = None,
    employer_allowance: int | str | Decimal = 0,
    district_allowance: int | str | Decimal = 0,
    passed_on: Sequence[Entitlement] = (),
    birth: dt.date | None = None,
    prc_national: bool = True,
    rounding: str = DEFAULT_ROUNDING,
    cite: str | Sequence[str] = (),
) -> FamilyCost:
    """A family's monthly net cost for one child at one facility, each step explained.

    The fee comes from :func:`parent_fee` (market price, ``share`` or ``flat``, ``cap`` checked); the
    employer's allowance (``employer_allowance``) and any district allowance that reaches the family are
    subtracted; the result is never below 0.

    District allowances: ``district_allowance`` is an amount the caller states; ``passed_on`` are
    entitlements from :func:`tuoyu_rules.assess` that the employer passes on to the parent per child per
    month (Siming's ``xiamen.siming_allowance``, 100 a month: the district union grants it through the
    employer, so the library does not assume it reaches the family). Each must be eligible, per child per
    month and one exact amount; its citations are attached. Both are added together.

    ``birth``, when given, shows the national 育儿补贴 (:func:`childcare_allowance`) beside the cost, at its
    monthly rate; it is **not** subtracted: it is paid yearly to the parents of every eligible child whether
    or not the child attends childcare, not as a fee reduction.
    """
    entries = tuple(passed_on)
    passed = [_passed_on_amount(e, i) for i, e in enumerate(entries)]
    stated = parse_money(district_allowance, "district_allowance")
    quote = parent_fee(
        market_monthly,
        share=share,
        flat=flat,
        allowance_monthly=employer_allowance,
        cap=cap,
        rounding=rounding,
        cite=cite,
    )
    steps = list(quote.steps)
    citations = list(quote.citations)
    district = stated + sum(passed, ZERO)
    if stated:
        steps.append(f"district allowance stated by the caller: {format_yuan(stated)} a month")
    for entry, amount in zip(entries, passed, strict=True):
        steps.append(f"{entry.program} passed on to the family: {format_yuan(amount)} a month (paid by {entry.payer})")
        citations.extend(c for c in entry.citations if c not in citations)
    if district == 0:
        net = quote.net
        steps.append(f"no district allowance: monthly net cost {format_yuan(net)}")
    elif district <= quote.net:
        net = quote.net - district
        steps.append(
            f"less district allowances {format_yuan(district)}: {format_yuan(quote.net)} − {format_yuan(district)} "
            f"= {format_yuan(net)} a month"
        )
    else:
        net = ZERO
        steps.append(
            f"district allowances {format_yuan(district)} are more than the {format_yuan(quote.net)} left: "
            "monthly net cost 0.00 (the excess is not counted as paid to the family)"
        )
    national: Allowance | None = None
    national_monthly: Decimal | None = None
    if birth is not None:
        national = childcare_allowance(birth, prc_national=prc_national)
        national_monthly = national.per_month if national.eligible and national.per_month is not None else ZERO
        if national.eligible:
            steps.append(
                f"national 育儿补贴 shown alongside, not subtracted: {format_yuan(national_monthly)} a month for "
                f"{national.months} months ({national.first_month:%Y-%m} to {national.last_month:%Y-%m}), "
                f"{format_yuan(national.total)} in all; paid yearly to parents whether or not the child attends"
            )
        else:
            steps.append("national 育儿补贴: none for this child (" + national.reasons[-1] + ")")
        citations.extend(c for c in national.citations if c not in citations)
    return FamilyCost(
        quote=quote,
        fee=quote.fee,
        employer_allowance=quote.allowance_monthly,
        district_allowance=district,
        net=net,
        national_allowance_per_month=national_monthly,
        national_allowance=national,
        steps=tuple(steps),
        citations=tuple(citations),
    )
