"""Siming district (思明区), Xiamen, Fujian: the district union's childcare allowance.

A district layer below a city: a facility whose jurisdiction is ``siming`` is assessed under siming, xiamen,
fujian and cn, with no engine change.

References: Xiamen Daily 2022-04-14 (official report): 100 yuan per child per month for employees' children
aged 0-3 at a filed (备案) facility, paid quarterly; the employer must have a union that pays its dues.

Limitations: no start or end dates stated; the amount is per child per month (basis ``per_child_month``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Outcome, Policy, Rule

ALLOWANCE = "xiamen.siming_allowance"


def childcare_allowance(ctx: RuleContext) -> Outcome:
    """100 yuan per employee's child (0-3) per month at a filed facility; the employer's union pays its dues."""
    f = ctx.facility
    amount = ctx.amount_in_force(f"{ALLOWANCE}.amount", f"no Siming allowance amount is in force on {ctx.on}")
    if isinstance(amount, Outcome):
        return amount
    missing, unmet = ctx.conditions(
        ("filed", f.filed, "the facility is not filed (备案)"),
        ("union_dues_paid", f.union_dues_paid, "the employer has no union paying its dues (工会经费)"),
    )
    if f.staff_children == 0:
        unmet.append("no employees' children are enrolled")
    if unmet:
        return ctx.ineligible("the Siming allowance's conditions are not met: " + "; ".join(unmet))
    reasons = [f"{amount.low} yuan per employee's child (0-3) per month, paid quarterly"]
    if f.staff_children is None:
        missing.append("staff_children")
        reasons.append("staff_children not supplied: the allowance counts the employees' children enrolled")
    else:
        monthly, _ = ctx.scale(amount, f.staff_children, "monthly total")
        quarterly, _ = ctx.scale(amount, f.staff_children * 3, "quarterly total")
        reasons.append(f"{f.staff_children} employees' children: {monthly.low} a month, {quarterly.low} a quarter")
    if missing:
        reasons.append("conditions not supplied: " + ", ".join(missing) + "; they do not change the status")
    # The count the allowance reads is the employees' children (None when not supplied: listed in missing).
    return dataclasses.replace(ctx.eligible(amount, *reasons, missing=tuple(missing)), children=f.staff_children)


RULES: Mapping[str, Rule] = {ALLOWANCE: childcare_allowance}


def load() -> Policy:
    return load_builtin("siming", RULES)
