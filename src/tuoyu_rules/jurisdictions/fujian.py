"""Fujian province (福建省): the layer above Xiamen (and Siming district).

Its union (``fujian.union``) pays the national caring-employer award's provincial match for facilities in
its cities, a one-time subsidy to employers that buy places, and an award to provincial caring employers.

References: seed 000 (provincial match); Fuzhou Daily 2024-01-11 (purchased-places subsidy, official);
People's Daily 2022-04-26 (provincial caring employers at most 100,000; fees not above the local 普惠 price).

Limitations: the amounts are ceilings ("最高"), read as ranges from 0; the union decides inside them. No
start or end dates are stated. The local 普惠 price (the fee cap) is supplied by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.messages import msg
from ..core.policy import Outcome, Policy, Rule

PURCHASED = "fujian.purchased_places_subsidy"
CARING = "fujian.caring_employer_award"


def _ceiling(tier: AmountRange) -> Decimal | AmountRange:
    """A tier's ceiling (最高) as a message parameter; the tier itself when a what-if leaves it open above."""
    return tier if tier.high is None else tier.high


def purchased_places_subsidy(ctx: RuleContext) -> Outcome:
    """购买托位: one-time, 5-9 employees' children at most 15,000 yuan, 10 or more at most 30,000."""
    f = ctx.facility
    if f.mode != "purchased_places":
        return ctx.ineligible(msg("fujian.purchased.not_purchased_places", mode=f.mode))
    minimum = ctx.count(f"{PURCHASED}.min_children")
    upper_from = ctx.count(f"{PURCHASED}.upper_tier_from")
    lower = ctx.range(f"{PURCHASED}.lower_tier")
    upper = ctx.range(f"{PURCHASED}.upper_tier")
    if minimum is None or upper_from is None or lower is None or upper is None:
        return ctx.ineligible(msg("fujian.purchased.no_amount", on=ctx.on))
    children = f.staff_children
    if children is None:
        return ctx.undetermined(
            AmountRange.model_construct(low=lower.low, high=upper.high, allowed=None),
            msg(
                "fujian.purchased.children_missing",
                minimum=minimum,
                below=upper_from - 1,
                upper_from=upper_from,
                lower=_ceiling(lower),
                upper=_ceiling(upper),
                field="staff_children",
            ),
            missing=("staff_children",),
        )
    if children < minimum:
        return ctx.ineligible(msg("fujian.purchased.too_few", children=children, minimum=minimum))
    if children < upper_from:
        return ctx.eligible(
            lower,
            msg(
                "fujian.purchased.lower_tier",
                children=children,
                minimum=minimum,
                below=upper_from - 1,
                ceiling=_ceiling(lower),
            ),
        )
    return ctx.eligible(
        upper, msg("fujian.purchased.upper_tier", children=children, upper_from=upper_from, ceiling=_ceiling(upper))
    )


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """福建省爱心托育用人单位: at most 100,000 yuan from the provincial union."""
    found = ctx.designated_amount(
        f"{CARING}.amount",
        msg("fujian.caring.not_designated", designation="fujian.caring_employer"),
        msg("fujian.caring.no_amount", on=ctx.on),
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    return ctx.eligible(amount, msg("fujian.caring.eligible", year=designation.year, ceiling=_ceiling(amount)))


RULES: Mapping[str, Rule] = {
    PURCHASED: purchased_places_subsidy,
    CARING: caring_employer_award,
}


def load() -> Policy:
    return load_builtin("fujian", RULES)
