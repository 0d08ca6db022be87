"""Hangzhou's alliance rule (杭州, seed 000): alliance members' employees pay the same price as the unit's own.

"在保障本单位职工子女入托的前提下,可以同等的价格向联盟单位开放托位": once its own employees' children are
placed, a member unit may open places to other member units' employees **at the same price**.
:func:`alliance_price_check` checks a pair of fees against the rule; :func:`alliance_fee` quotes the fee a
member's employee pays (a :func:`~tuoyu_rules.families.fees.parent_fee` quote citing the clause).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Final

from pydantic import BaseModel, PlainSerializer

from ..core.citations import Citation
from ..core.errors import InvalidInput, PolicyDataError
from ..core.messages import Explanation, Lang, Message, check_lang, msg, pick
from ..core.money import DEFAULT_ROUNDING, Money, in_money_context, parse_money
from ..core.registry import get_policy
from .common import MODEL, explain
from .fees import FeeQuote, parent_fee

ALLIANCE_PROGRAM: Final = "hangzhou.alliance_price"
ALLIANCE_CITATION: Final = "hangzhou.seed_alliance_price"

Signed = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json")]


class AllianceCheck(BaseModel):
    """Whether another alliance member's employees are charged what the unit charges its own (杭州, 同等的价格)."""

    model_config = MODEL

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
    """Why, in the language asked (``lang=``, English by default)."""
    explanation: tuple[Explanation, ...] = ()
    """The reasons as data, parallel to ``reasons``: code (``families.alliance.<what>``), params, ``zh`` and ``en``."""
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


@in_money_context
def alliance_price_check(
    own_staff_fee: FeeQuote | int | str | Decimal,
    member_fee: FeeQuote | int | str | Decimal,
    *,
    own_staff_placed: bool | None = None,
    lang: Lang = "en",
) -> AllianceCheck:
    """Check Hangzhou's alliance rule: member units' employees pay the same price as the unit's own staff.

    Seed 000 (杭州): "在保障本单位职工子女入托的前提下,可以同等的价格向联盟单位开放托位". The rule is a
    permission with a condition: the unit's own employees' children are placed first, and places opened to
    the alliance are at the same price. ``own_staff_placed`` is that condition: False breaks it; None (not
    supplied) is listed in ``missing`` and does not change the finding on the price. ``lang`` is the language
    of ``reasons`` (``explanation`` has both).
    """
    lang = check_lang(lang)
    own = _fee_of(own_staff_fee, "own_staff_fee")
    member = _fee_of(member_fee, "member_fee")
    if own_staff_placed is not None and not isinstance(own_staff_placed, bool):
        problem = "{value} must be True, False or None"
        raise InvalidInput.coded("own_staff_placed", "error.alliance.placed", problem, value=repr(own_staff_placed))
    difference = member - own
    same = difference == 0
    reasons: list[Message] = []
    if same:
        reasons.append(msg("families.alliance.same_price", member=member))
    elif difference > 0:
        reasons.append(msg("families.alliance.member_pays_more", member=member, difference=difference, own=own))
    else:
        reasons.append(msg("families.alliance.member_pays_less", member=member, difference=-difference, own=own))
    missing: tuple[str, ...] = ()
    if own_staff_placed is None:
        missing = ("own_staff_placed",)
        reasons.append(msg("families.alliance.placed_not_supplied", field="own_staff_placed"))
    elif not own_staff_placed:
        reasons.append(msg("families.alliance.not_placed"))
    else:
        reasons.append(msg("families.alliance.placed"))
    texts, explanation = explain(reasons, lang)
    return AllianceCheck(
        own_staff_fee=own,
        member_fee=member,
        difference=difference,
        same_price=same,
        own_staff_placed=own_staff_placed,
        complies=same and own_staff_placed is not False,
        reasons=texts,
        explanation=explanation,
        missing=missing,
        citations=_alliance_citations(),
    )


@in_money_context
def alliance_fee(
    own_staff_fee: FeeQuote | int | str | Decimal,
    *,
    allowance_monthly: int | str | Decimal = 0,
    cap: int | str | Decimal | None = None,
    rounding: str = DEFAULT_ROUNDING,
    lang: Lang = "en",
) -> FeeQuote:
    """The fee an alliance member unit's employee pays at a Hangzhou alliance facility: the own staff's price.

    ``own_staff_fee`` is the unit's own staff fee (an amount, or the :class:`FeeQuote` that computed it).
    ``allowance_monthly`` is the allowance of the parent's *own* employer, if any. The quote cites
    ``hangzhou.seed_alliance_price`` ("可以同等的价格向联盟单位开放托位"). ``lang`` is the language of ``steps``
    (``explanation`` has both).
    """
    lang = check_lang(lang)
    own = _fee_of(own_staff_fee, "own_staff_fee")
    market = own_staff_fee.market_monthly if isinstance(own_staff_fee, FeeQuote) else own
    quote = parent_fee(market, flat=own, allowance_monthly=allowance_monthly, cap=cap, rounding=rounding, lang=lang)
    _, step = explain([msg("families.alliance.fee", fee=own)], lang)
    explanation = (*step, *quote.explanation)
    update = {"steps": pick(explanation, lang), "explanation": explanation, "citations": _alliance_citations()}
    return quote.model_copy(update=update)
