"""The parent fee: what a facility charges a parent a month, and what the parent bears.

:func:`parent_fee` is pure (no clock, no I/O): the monthly fee a facility charges a parent (the market price,
a share of it, or a flat fee), the parent's net after an employer's monthly allowance, and a check against a
price ceiling. It is generic: it knows no jurisdiction, and cites a clause only when the caller names it
(``cite``, read by :func:`cited`).

Decisions (documented here and in each quote's ``steps``):

* Money is exact ``Decimal`` yuan. The fee is rounded once, to the fen, only when a share makes it
  fractional (ROUND_HALF_UP by default, configurable); a step says so when rounding changed the figure.
* A price ceiling (``cap``: Chengdu's "服务价格不高于当地普惠托育托管服务收费标准", Fujian's local 普惠 price)
  is *checked*, never applied: a fee above it is reported as charged with ``within_cap=False``; nothing is
  lowered silently.
* An allowance larger than the fee leaves a net of 0: the excess is not counted as a payment to the family.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Final

from pydantic import BaseModel, PlainSerializer

from ..core.citations import Citation
from ..core.errors import InvalidInput, TuoyuError, UnknownJurisdiction
from ..core.messages import Explanation, Lang, Message, check_lang, msg
from ..core.money import (
    DEFAULT_ROUNDING,
    Money,
    as_decimal,
    check_rounding,
    in_money_context,
    parse_money,
    round_money,
)
from ..core.registry import get_policy
from .common import MODEL, ZERO, explain

MAX_SHARE_DECIMALS: Final = 28
"""A share has at most 28 decimals (a Decimal division such as ``Decimal(1) / 3`` gives 28)."""

Share = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json")]


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
            problem = "{value} is not a citation id such as 'qianan.seed_merchant_children'"
            raise InvalidInput.coded(field, "error.cite.id", problem, value=repr(cid))
        try:
            policy = get_policy(cid.split(".", 1)[0])
        except UnknownJurisdiction as exc:
            problem = "{citation}: unknown jurisdiction {given}; known ids: {known}"
            raise InvalidInput.coded(
                field, "error.cite.unknown_jurisdiction", problem, citation=repr(cid), **exc.params
            ) from None
        except TuoyuError as exc:  # a broken plugin, say
            problem = "{citation}: {problem}"
            raise InvalidInput.coded(
                field, "error.cite.jurisdiction", problem, citation=repr(cid), problem=exc
            ) from None
        citation = policy.citations.get(cid)
        if citation is None:
            known = ", ".join(sorted(policy.citations)) or "(none)"
            problem = "unknown citation {citation}; {jurisdiction} has: {known}"
            said = {"citation": repr(cid), "jurisdiction": policy.id, "known": known}
            raise InvalidInput.coded(field, "error.cite.unknown", problem, **said)
        if citation not in found:
            found.append(citation)
    return tuple(found)


# -- parent fee ------------------------------------------------------------------------------------------------


class FeeQuote(BaseModel):
    """What a facility charges a parent a month, what the parent bears, and whether it keeps a price cap."""

    model_config = MODEL

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
    """Each step of the calculation, in order, in the language asked (``lang=``, English by default)."""
    explanation: tuple[Explanation, ...] = ()
    """The steps as data, parallel to ``steps``: each with its stable ``code`` (``families.fee.<what>``), its
    ``params`` (strings) and both texts, ``zh`` and ``en``."""
    citations: tuple[Citation, ...] = ()
    """The clauses the caller named (``cite``); a generic quote cites nothing."""


@in_money_context
def parse_share(value: object, field: str = "share") -> Decimal:
    """A fraction of the market price in [0, 1], exact: ``int``, ``str`` or ``Decimal``; never a float."""
    if isinstance(value, bool):
        problem = "{value} is a bool, not a fraction; pass a str such as '0.85' or a Decimal"
        raise InvalidInput.coded(field, "error.share.bool", problem, value=repr(value))
    if isinstance(value, float):
        problem = "{value} is a binary float, which cannot hold a fraction exactly; pass '0.85' or Decimal('0.85')"
        raise InvalidInput.coded(field, "error.share.float", problem, value=repr(value))
    share = as_decimal(value)
    if share is None and isinstance(value, str):
        problem = "{value} is not a number; pass a fraction such as '0.85'"
        raise InvalidInput.coded(field, "error.share.text", problem, value=repr(value))
    if share is None:
        problem = "{type} is not a fraction; pass a str such as '0.85' or a Decimal"
        raise InvalidInput.coded(field, "error.share.type", problem, type=type(value).__name__)
    if not share.is_finite():
        raise InvalidInput.coded(field, "error.share.not_finite", "{value} is not a finite fraction", value=repr(value))
    if share < 0 or share > 1:
        problem = "{value} is outside [0, 1]: the share is a fraction of the market price"
        raise InvalidInput.coded(field, "error.share.outside", problem, value=repr(value))
    share = _strip_zeros(share)
    exponent = share.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_SHARE_DECIMALS:
        problem = "{value} has more than {max} decimals; give the fraction to at most that many"
        raise InvalidInput.coded(field, "error.share.decimals", problem, value=repr(value), max=MAX_SHARE_DECIMALS)
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


@in_money_context
def parent_fee(
    market_monthly: int | str | Decimal,
    *,
    share: int | str | Decimal | None = None,
    flat: int | str | Decimal | None = None,
    allowance_monthly: int | str | Decimal = 0,
    cap: int | str | Decimal | None = None,
    rounding: str = DEFAULT_ROUNDING,
    cite: str | Sequence[str] = (),
    lang: Lang = "en",
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
    :param lang: the language of ``steps``, ``"zh"`` or ``"en"`` (``explanation`` has both).
    :raises InvalidInput: naming the argument (``MoneyError`` for an amount).

    >>> q = parent_fee("1000", share="0.85", allowance_monthly=200)
    >>> (q.fee, q.net, q.within_cap)
    (Decimal('850.00'), Decimal('650.00'), True)
    """
    lang = check_lang(lang)
    rounding = check_rounding(rounding)
    market = parse_money(market_monthly, "market_monthly")
    if share is not None and flat is not None:
        problem = "give a share of the market price or a flat fee, not both"
        raise InvalidInput.coded("share, flat", "error.fee.share_and_flat", problem)
    share_value = None if share is None else parse_share(share)
    flat_value = None if flat is None else parse_money(flat, "flat")
    allowance = parse_money(allowance_monthly, "allowance_monthly")
    cap_value = None if cap is None else parse_money(cap, "cap")
    citations = cited(cite)

    steps: list[Message] = [msg("families.fee.market", market=market)]
    rounded = False
    if flat_value is not None:
        fee = flat_value
        steps.append(msg("families.fee.flat", fee=fee))
    elif share_value is not None:
        exact = _exact_product(market, share_value)
        fee, rounded = round_money(exact, rounding)
        steps.append(msg("families.fee.share", share=format(share_value, "f"), market=market, exact=format(exact, "f")))
        if rounded:
            steps.append(msg("families.fee.rounded", rounding=rounding, fee=fee))
        else:
            steps.append(msg("families.fee.exact", fee=fee))
    else:
        fee = market
        steps.append(msg("families.fee.market_fee", fee=fee))

    if allowance == 0:
        net = fee
        steps.append(msg("families.fee.no_allowance", net=net))
    elif allowance <= fee:
        net = fee - allowance
        steps.append(msg("families.fee.allowance", allowance=allowance, fee=fee, net=net))
    else:
        net = ZERO
        steps.append(msg("families.fee.allowance_exceeds", allowance=allowance, fee=fee, excess=allowance - fee))

    over = ZERO
    if cap_value is None:
        within = True
        steps.append(msg("families.fee.no_cap"))
    elif fee <= cap_value:
        within = True
        steps.append(msg("families.fee.within_cap", cap=cap_value, fee=fee))
    else:
        within = False
        over = fee - cap_value
        steps.append(msg("families.fee.over_cap", cap=cap_value, fee=fee, over=over))
    texts, explanation = explain(steps, lang)
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
        steps=texts,
        explanation=explanation,
        citations=citations,
    )
