"""Sichuan province (四川省): the layer above Chengdu (成都市).

* Its union (``sichuan.union``, 四川省总工会) is the payer of the national caring-employer award's provincial
  match (``cn.caring_employer_provincial_match``, payer ``{province}.union``) for facilities in its cities.
* ``sichuan.puhui_subsidy``: 200 yuan per full-day enrolled child per month for a facility recognised as
  普惠 at county level and filed (备案); in force 2025-08-30 for 2 years (to 2027-08-29).

References: seed 000 (the provincial match); 四川省普惠托育服务机构认定及补助管理办法（试行）, as reported by
雅安日报 (official; summaries, not quotes: the original wording was not seen).

Limitations: the measure's end date is computed (two years from 2025-08-30 end on 2027-08-29); the budget that
pays is not stated, so the payer is the issuing provincial health commission (``sichuan.health_commission``);
county recognition is a fact the caller gives (designation ``sichuan.puhui``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Outcome, Policy, Rule

PUHUI = "sichuan.puhui_subsidy"


def puhui_subsidy(ctx: RuleContext) -> Outcome:
    """普惠托育服务机构补助: 200 yuan per full-day enrolled child per month (recognised 普惠, filed)."""
    found = ctx.designated_amount(
        f"{PUHUI}.amount",
        "not recognised as a 普惠 childcare facility at county level: no sichuan.puhui designation",
        "no subsidy amount is in force on this day",
        late="the 普惠 recognition is of {year}",
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    ctx.cite("sichuan.puhui_term")
    ctx.cite("sichuan.puhui_conditions")
    f = ctx.facility
    if f.filed is False:
        return ctx.ineligible("the facility is not filed (备案); the measure subsidises filed 普惠 facilities only")
    if f.full_day_enrolled == 0:
        return ctx.ineligible("no child is enrolled full-day (全日托); the subsidy is per full-day enrolled child")
    reasons = [
        f"recognised as 普惠 at county level ({designation.year}): {amount.format()} yuan per full-day enrolled "
        f"child per month (measure {ctx.program.dates()})",
    ]
    missing: list[str] = []
    if f.full_day_enrolled is None:
        missing.append("full_day_enrolled")
        reasons.append("full_day_enrolled not supplied: the monthly total is the amount times that number")
    else:
        monthly, note = ctx.scale(amount, f.full_day_enrolled, "monthly total")
        reasons.append(f"{f.full_day_enrolled} full-day enrolled children: {monthly.format()} yuan a month")
        if note:
            reasons.append(note)
    if f.filed is None:
        missing.append("filed")
        reasons.append("filing (备案) not supplied: a condition of the measure; it does not change the status")
    return ctx.eligible(amount, *reasons, missing=tuple(missing))


RULES: Mapping[str, Rule] = {PUHUI: puhui_subsidy}


def load() -> Policy:
    return load_builtin("sichuan", RULES)
