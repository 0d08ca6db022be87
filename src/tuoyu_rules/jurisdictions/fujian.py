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

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Outcome, Policy, Rule

PURCHASED = "fujian.purchased_places_subsidy"
CARING = "fujian.caring_employer_award"


def purchased_places_subsidy(ctx: RuleContext) -> Outcome:
    """购买托位: one-time, 5-9 employees' children at most 15,000 yuan, 10 or more at most 30,000."""
    f = ctx.facility
    if f.mode != "purchased_places":
        return ctx.ineligible(f"the mode is {f.mode}; this subsidy is for employers that buy places (购买托位)")
    minimum = ctx.count(f"{PURCHASED}.min_children")
    upper_from = ctx.count(f"{PURCHASED}.upper_tier_from")
    lower = ctx.range(f"{PURCHASED}.lower_tier")
    upper = ctx.range(f"{PURCHASED}.upper_tier")
    if minimum is None or upper_from is None or lower is None or upper is None:
        return ctx.ineligible(f"no purchased-places subsidy is in force on {ctx.on}")
    children = f.staff_children
    if children is None:
        return ctx.undetermined(
            AmountRange.model_construct(low=lower.low, high=upper.high, allowed=None),
            f"the subsidy depends on how many employees' children are placed ({minimum}-{upper_from - 1}: at "
            f"most {lower.high}; {upper_from} or more: at most {upper.high}); staff_children not supplied",
            missing=("staff_children",),
        )
    if children < minimum:
        return ctx.ineligible(f"{children} employees' children placed, fewer than {minimum}: no subsidy")
    if children < upper_from:
        return ctx.eligible(
            lower, f"{children} employees' children placed ({minimum}-{upper_from - 1}): at most {lower.high}"
        )
    return ctx.eligible(upper, f"{children} employees' children placed ({upper_from} or more): at most {upper.high}")


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """福建省爱心托育用人单位: at most 100,000 yuan from the provincial union."""
    found = ctx.designated_amount(
        f"{CARING}.amount",
        "not designated a Fujian provincial caring employer: no fujian.caring_employer",
        f"no provincial caring-employer award is in force on {ctx.on}",
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    return ctx.eligible(
        amount,
        f"Fujian provincial caring employer ({designation.year}): at most {amount.high}; reading: the union decides "
        "the sum (最高: the source states the ceiling only)",
    )


RULES: Mapping[str, Rule] = {
    PURCHASED: purchased_places_subsidy,
    CARING: caring_employer_award,
}


def load() -> Policy:
    return load_builtin("fujian", RULES)
