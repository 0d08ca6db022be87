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
from ..core.messages import Message, msg
from ..core.policy import Outcome, Policy, Rule

ALLOWANCE = "xiamen.siming_allowance"


def childcare_allowance(ctx: RuleContext) -> Outcome:
    """100 yuan per employee's child (0-3) per month at a filed facility; the employer's union pays its dues."""
    f = ctx.facility
    amount = ctx.amount_in_force(f"{ALLOWANCE}.amount", msg("siming.allowance.no_amount", on=ctx.on))
    if isinstance(amount, Outcome):
        return amount
    missing, unmet = ctx.conditions(
        ("filed", f.filed, msg("siming.allowance.not_filed")),
        ("union_dues_paid", f.union_dues_paid, msg("siming.allowance.no_union_dues")),
    )
    if f.staff_children == 0:
        unmet.append(msg("siming.allowance.no_staff_children"))
    if unmet:
        return ctx.ineligible(msg("siming.allowance.conditions_unmet"), *unmet)
    reasons: list[Message] = [msg("siming.allowance.rate", amount=amount)]
    if f.staff_children is None:
        missing.append("staff_children")
        reasons.append(msg("siming.allowance.children_missing", field="staff_children"))
    else:
        monthly, _ = ctx.scale(amount, f.staff_children, "monthly_total")
        quarterly, _ = ctx.scale(amount, f.staff_children * 3, "quarterly_total")
        reasons.append(msg("siming.allowance.totals", children=f.staff_children, monthly=monthly, quarterly=quarterly))
    if missing:
        reasons.append(msg("siming.allowance.conditions_missing", fields=missing))
    # The count the allowance reads is the employees' children (None when not supplied: listed in missing).
    return dataclasses.replace(ctx.eligible(amount, *reasons, missing=tuple(missing)), children=f.staff_children)


RULES: Mapping[str, Rule] = {ALLOWANCE: childcare_allowance}


def load() -> Policy:
    return load_builtin("siming", RULES)
