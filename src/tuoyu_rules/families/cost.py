"""A family's net monthly cost for one child at one facility, each step explained.

:func:`family_monthly_cost` is pure (no clock, no I/O): the fee (:func:`~tuoyu_rules.families.fees.parent_fee`),
less the employer's allowance and any district allowance that reaches the family, with the national allowance
(:func:`~tuoyu_rules.families.allowance.childcare_allowance`) shown alongside.

Decisions (documented here and in each result's ``steps``):

* The national allowance is 3,600 a year, paid by the year (「育儿补贴按年计算,每年一次性发放。」, 合阳县卫生健康局
  notice 2025-10-20, ``cn.allowance_paid_yearly``); reading: it names no condition of attending childcare, so it
  is not a fee reduction. The cost shows its monthly rate beside the net cost and does **not** subtract it.
* Siming's district allowance (``xiamen.siming_allowance``, 100 per employee's child per month) is
  granted by the district union through the employer (it is an entitlement of the facility's employer in
  an :class:`~tuoyu_rules.Assessment`); whether it reaches the parent is the employer's arrangement. The
  family cost subtracts it only when the caller passes that entitlement on (``passed_on``) or states an
  amount (``district_allowance``).
* Allowances larger than what is left leave a net of 0: the excess is not counted as a payment to the family.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel

from ..core.citations import Citation
from ..core.errors import InvalidInput
from ..core.messages import Explanation, Lang, Message, check_lang, msg, pick
from ..core.money import DEFAULT_ROUNDING, Money, in_money_context, parse_money
from ..core.registry import get_policy
from ..core.results import Entitlement
from .allowance import Allowance, childcare_allowance
from .common import MODEL, ZERO, catalog, explain
from .fees import FeeQuote, parent_fee

PAID_YEARLY = "cn.allowance_paid_yearly"
"""The citation that the national allowance is paid by the year (合阳县卫生健康局 notice, 2025-10-20)."""
PAID_YEARLY_QUOTE = "育儿补贴按年计算,每年一次性发放"
"""Its words, shown in the step that places the allowance beside the cost (``families.cost.national``)."""


class FamilyCost(BaseModel):
    """One child at one facility: the fee, less allowances that reach the family, per month."""

    model_config = MODEL

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
    """Each step, in order, in the language asked (``lang=``, English by default): the quote's, then the cost's."""
    explanation: tuple[Explanation, ...] = ()
    """The steps as data, parallel to ``steps``: code (``families.fee.<what>``, ``families.cost.<what>``), params,
    ``zh`` and ``en``."""
    citations: tuple[Citation, ...] = ()


def _passed_on_amount(entry: Entitlement, i: int) -> Decimal:
    field = f"passed_on[{i}]"
    if not isinstance(entry, Entitlement):
        problem = "expected an Entitlement from tr.assess(...), got {type}"
        raise InvalidInput.coded(field, "error.cost.entry_type", problem, type=type(entry).__name__)
    if entry.status != "eligible":
        problem = "{program} is {status}, not eligible: nothing to pass on"
        raise InvalidInput.coded(field, "error.cost.not_eligible", problem, program=entry.program, status=entry.status)
    if entry.basis != "per_child_month":
        problem = "{program} is paid {basis}, not per child per month"
        raise InvalidInput.coded(field, "error.cost.basis", problem, program=entry.program, basis=entry.basis)
    if not entry.amount.is_exact:
        problem = "{program} is a range ({range}), not one amount: state the amount instead"
        shown = entry.amount.format()
        raise InvalidInput.coded(field, "error.cost.range", problem, program=entry.program, range=shown)
    return entry.amount.low


def _names(entries: Sequence[Entitlement]) -> dict[str, tuple[str, str]]:
    """The names of the programmes and payers passed on, as message terms (``{x:program}``, ``{x:payer}``)."""
    names: dict[str, tuple[str, str]] = {}
    for e in entries:
        names[f"program.{e.program}"] = (e.name_zh or e.program, e.name_en or e.program)
        names[f"payer.{e.payer}"] = (e.payer_zh or e.payer, e.payer_en or e.payer)
    return names


@in_money_context
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
    lang: Lang = "en",
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
    monthly rate; it is **not** subtracted: it is paid by the year (``cn.allowance_paid_yearly``, cited in the
    result) and, by our reading, names no condition of attending childcare, so it is not a fee reduction.

    ``lang`` is the language of ``steps`` (and of the quote's and the national allowance's texts); each
    ``explanation`` has both.
    """
    lang = check_lang(lang)
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
        lang=lang,
    )
    steps: list[Message] = []
    citations = list(quote.citations)
    district = stated + sum(passed, ZERO)
    if stated:
        steps.append(msg("families.cost.district_stated", amount=stated))
    for entry, amount in zip(entries, passed, strict=True):
        steps.append(msg("families.cost.passed_on", program=entry.program, amount=amount, payer=entry.payer))
        citations.extend(c for c in entry.citations if c not in citations)
    if district == 0:
        net = quote.net
        steps.append(msg("families.cost.no_district", net=net))
    elif district <= quote.net:
        net = quote.net - district
        steps.append(msg("families.cost.district", district=district, before=quote.net, net=net))
    else:
        net = ZERO
        steps.append(msg("families.cost.district_exceeds", district=district, before=quote.net))
    national: Allowance | None = None
    national_monthly: Decimal | None = None
    national_why: tuple[Explanation, ...] = ()
    if birth is not None:
        national = childcare_allowance(birth, prc_national=prc_national, lang=lang)
        national_monthly = national.per_month if national.eligible and national.per_month is not None else ZERO
        if national.eligible:
            first, last = national.first_month, national.last_month
            span = {"first": f"{first:%Y-%m}" if first else "", "last": f"{last:%Y-%m}" if last else ""}
            figures = {"rate": national_monthly, "months": national.months, "total": national.total}
            steps.append(msg("families.cost.national", citation=PAID_YEARLY, **figures, **span))
            steps.append(msg("families.cost.national_reading"))
            paid_yearly = get_policy("cn").citations[PAID_YEARLY]
            if paid_yearly not in citations:
                citations.append(paid_yearly)
        else:
            steps.append(msg("families.cost.national_none"))
            national_why = national.explanation[-1:]
        citations.extend(c for c in national.citations if c not in citations)
    own = explain(steps, lang, catalog(_names(entries)))[1]
    explanation = (*quote.explanation, *own, *national_why)
    return FamilyCost(
        quote=quote,
        fee=quote.fee,
        employer_allowance=quote.allowance_monthly,
        district_allowance=district,
        net=net,
        national_allowance_per_month=national_monthly,
        national_allowance=national,
        steps=pick(explanation, lang),
        explanation=explanation,
        citations=tuple(citations),
    )
