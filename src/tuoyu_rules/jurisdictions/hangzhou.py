"""Hangzhou (杭州市), Zhejiang: the monthly 普惠 subsidy for embedded facilities and the demonstration award.

References: seed 000, 浙江省杭州市卫生健康委《共济型服务体系打造嵌入式托育模式》 ("政策托举,推进运行共担":
"对认定为普惠机构的嵌入式托育机构给予每月300~900元不等补助", "对于入选市示范用人单位嵌入式托育机构的,
可获5万~15万元一次性奖补资金"); 杭卫发〔2022〕68号 (2022-09-30: filing 备案 and district recognition,
official); the successor measure in force 2026-02-01 to 2029-01-31 (amounts not published, official).

The alliance price rule (fee_rule), the health guidance rule (compliance) and the facility size limits
(condition) are declared in ``jurisdictions/hangzhou.toml`` with their citations and count parameters; they are not
entitlements, so they have no rule function here.

Limitations and documented assumptions:

* the seed does not say per what the 300~900 a month is paid; the default reading is per enrolled child per
  month (basis ``per_child_month``). The amount stays 300~900 per child-month; the entry's ``children`` is the
  facility's ``enrolled`` and the engine multiplies the two into its ``total`` (a monthly sum). Under the
  per-facility reading (a reform setting ``hangzhou.puhui_subsidy.basis`` to ``per_month``) there is no count
  and the total is the amount;
* the payer ``hangzhou.health_commission`` stands for the health, education and finance departments that
  issued the measure jointly; the demonstration award's payer is not named in the seed (same payer taken);
* from 2026-02-01 the amounts are not published: the subsidy is undetermined unless the caller pins the
  monthly per-child rate with the designation's amount; after 2029-01-31 the programme is not in force;
* a rate the caller gives (the ``hangzhou.puhui`` designation's amount, or ``pins``) is never checked against
  the old 300~900 when it may be meant for the successor measure: it is refused only when it lies in no range
  the law gives (none does, since the successor's amounts are not stated), and on a day whose range does not
  contain it (300~900 to 2026-01-31) it is left unapplied with a reason; pins and designation amounts behave
  the same way on every day (:func:`tuoyu_rules.core.models.amount_ranges`);
* nothing published says who sets the rate inside 300~900 (the seed names the measure, 杭卫发〔2022〕68号
  《杭州市普惠性婴幼儿照护服务机构认定管理暂行办法》, and its issuing departments, not who picks the rate);
* the sources state no start date: before 2022-09-30, the date of 杭卫发〔2022〕68号, the earliest dated source
  reporting the subsidy (``reported_since``), an assessment is undetermined.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import cast

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Basis, Outcome, Policy, Rule

PUHUI = "hangzhou.puhui_subsidy"
DEMONSTRATION = "hangzhou.demonstration_award"
FILING_CITATION = "hangzhou.filing_recognition_2022"


def puhui_subsidy(ctx: RuleContext) -> Outcome:
    """对认定为普惠机构的嵌入式托育机构给予每月300~900元不等补助 (per enrolled child per month, by default)."""
    f = ctx.facility
    designation = ctx.designation()
    failed: list[str] = []
    if designation is None:
        failed.append("not recognised as a 普惠 facility (普惠机构): no hangzhou.puhui designation")
    elif designation.year > ctx.on.year:
        failed.append(f"recognised as 普惠 in {designation.year}, after the day assessed ({ctx.on.isoformat()})")
    if not f.embedded:
        failed.append("not an embedded (嵌入式) facility: the subsidy is for embedded facilities recognised as 普惠")
    if failed or designation is None:
        return ctx.ineligible(*failed)

    # Refinement (杭卫发〔2022〕68号, official): the facility must be filed (备案) and recognised by the
    # district bureau (the designation). An unsupplied filing does not change the seed's status.
    ctx.cite(FILING_CITATION)
    if f.filed is False:
        return ctx.ineligible(
            "the facility is not filed (备案): 杭卫发〔2022〕68号 recognises as 普惠 only filed facilities, "
            "recognised by the district health or education bureau"
        )
    missing: tuple[str, ...] = ()
    filing: list[str] = ["filed (备案): yes, as 杭卫发〔2022〕68号 requires"]
    if f.filed is None:
        missing = ("filed",)
        filing = [
            "filed (备案) not supplied: 杭卫发〔2022〕68号 requires a filed facility; it does not change the "
            "seed's status, and is listed in missing"
        ]
    reading = ctx.choice(f"{PUHUI}.basis") or "per_child_month"
    children: int | None = None
    if reading == "per_child_month":
        # The count is the facility's own ``enrolled`` (the default reading); it is the entry's ``children``, and
        # the engine multiplies the rate by it into ``total``. The reasons do not repeat the number.
        children = f.enrolled
        unit = "yuan per child per month"
        basis = (
            "the amount is per enrolled child per month (the documented default reading: the seed says "
            "每月300~900元 without saying per what); the entry's total is the amount times the enrolled children"
        )
    else:
        unit = "yuan per month for the facility (the per-facility reading of 每月300~900元)"
        basis = (
            "the amount is read as per facility per month (an alternative reading chosen by the caller: the seed "
            "says 每月300~900元 without saying per what)"
        )

    value = ctx.value(f"{PUHUI}.amount")
    if value is None:  # pragma: no cover - the programme's end date covers the days without a value
        return ctx.undetermined(
            AmountRange.unknown(), "no 普惠 subsidy amount is in force on this day", missing=(*missing, "amount")
        )
    if isinstance(value.value, AmountRange):
        outcome = ctx.eligible(
            value.value,
            f"embedded facility recognised as 普惠 ({designation.year}): "
            f"{value.render()} {unit} ({value.period()}); nothing published says who sets the rate inside "
            "the range",
            basis,
            *filing,
            missing=missing,
        )
        return dataclasses.replace(outcome, basis=cast(Basis, reading), children=children)
    outcome = ctx.not_stated(
        f"embedded facility recognised as 普惠: from 2026-02-01 the successor measure applies ({value.period()}); "
        "it sets the subsidy per child by age in months and quality grade, pays by days when a child attends "
        "under 15 days in a month and adds a half-day rate, and its amounts are not published",
        "give the monthly per-child rate as the hangzhou.puhui designation's amount (or pins[hangzhou.puhui_subsidy]) "
        "to settle it",
        basis,
        *filing,
    )
    return dataclasses.replace(
        outcome, missing=(*outcome.missing, *missing), basis=cast(Basis, reading), children=children
    )


def demonstration_award(ctx: RuleContext) -> Outcome:
    """对于入选市示范用人单位嵌入式托育机构的,可获5万~15万元一次性奖补资金 (one-time)."""
    found = ctx.designated_amount(
        f"{DEMONSTRATION}.amount",
        "not selected as a city demonstration employer-embedded facility (市示范用人单位嵌入式托育机构): "
        "no hangzhou.demonstration designation",
        "no demonstration award amount is in force on this day",  # reachable only through a reform
        late="selected as a demonstration facility in {year}",
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    reasons = [
        f"selected as a city demonstration employer-embedded facility ({designation.year}): one-time award of "
        f"{amount.format('wan')}; reading: the granting body decides the sum inside the range (the seed names "
        "neither the body nor how it decides)",
    ]
    if not ctx.facility.embedded:
        reasons.append(
            "note: the selection is of embedded (嵌入式) facilities, and the facility is given as not embedded; "
            "it was selected, so it stays eligible: check the input"
        )
    return ctx.eligible(amount, *reasons)


RULES: Mapping[str, Rule] = {
    PUHUI: puhui_subsidy,
    DEMONSTRATION: demonstration_award,
}


def load() -> Policy:
    return load_builtin("hangzhou", RULES)
