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
from ..core.messages import Message, msg
from ..core.policy import Basis, Outcome, Policy, Rule

PUHUI = "hangzhou.puhui_subsidy"
DEMONSTRATION = "hangzhou.demonstration_award"
FILING_CITATION = "hangzhou.filing_recognition_2022"
PUHUI_PIN = f"pins[{PUHUI}]"

READINGS: Mapping[str, tuple[str, str]] = {
    "per_child_month": ("hangzhou.puhui.eligible_per_child", "hangzhou.puhui.reading_per_child"),
    "per_month": ("hangzhou.puhui.eligible_per_facility", "hangzhou.puhui.reading_per_facility"),
}
"""The messages of each reading of 每月300~900元: the eligible reason and the reason stating the reading."""


def puhui_subsidy(ctx: RuleContext) -> Outcome:
    """对认定为普惠机构的嵌入式托育机构给予每月300~900元不等补助 (per enrolled child per month, by default)."""
    f = ctx.facility
    designation = ctx.designation()
    spec = ctx.program.designation or ""
    failed: list[Message] = []
    if designation is None:
        failed.append(msg("hangzhou.puhui.not_recognised", designation=spec))
    elif designation.year > ctx.on.year:
        failed.append(msg("hangzhou.puhui.recognised_after_day", year=designation.year, on=ctx.on))
    if not f.embedded:
        failed.append(msg("hangzhou.puhui.not_embedded"))
    if failed or designation is None:
        return ctx.ineligible(*failed)

    # Refinement (杭卫发〔2022〕68号, official): the facility must be filed (备案) and recognised by the
    # district bureau (the designation). An unsupplied filing does not change the seed's status.
    ctx.cite(FILING_CITATION)
    if f.filed is False:
        return ctx.ineligible(msg("hangzhou.puhui.not_filed"))
    missing: tuple[str, ...] = ()
    filing = msg("hangzhou.puhui.filed")
    if f.filed is None:
        missing = ("filed",)
        filing = msg("hangzhou.puhui.filed_missing")
    reading = ctx.choice(f"{PUHUI}.basis") or "per_child_month"
    if reading not in READINGS:
        reading = "per_month"
    eligible_code, reading_code = READINGS[reading]
    # Under the default reading the count is the facility's own ``enrolled``; it is the entry's ``children``, and
    # the engine multiplies the rate by it into ``total``. The reasons do not repeat the number.
    children = f.enrolled if reading == "per_child_month" else None
    basis = msg(reading_code)

    value = ctx.value(f"{PUHUI}.amount")
    if value is None:  # pragma: no cover - the programme's end date covers the days without a value
        return ctx.undetermined(
            AmountRange.unknown(), msg("hangzhou.puhui.no_amount", on=ctx.on), missing=(*missing, "amount")
        )
    if isinstance(value.value, AmountRange):
        until = () if value.end is None else (msg("hangzhou.puhui.rate_until", end=value.end),)
        outcome = ctx.eligible(
            value.value,
            msg(eligible_code, year=designation.year, amount=value.value),
            *until,
            basis,
            filing,
            missing=missing,
        )
        return dataclasses.replace(outcome, basis=cast(Basis, reading), children=children)
    if value.start is not None and value.end is not None:
        stated = msg("hangzhou.puhui.successor", start=value.start, end=value.end)
    else:  # a what-if value with no dates: not the successor measure's
        stated = msg("hangzhou.puhui.amount_not_stated", on=ctx.on)
    outcome = ctx.not_stated(
        stated,
        msg("hangzhou.puhui.settle", designation=spec, pin=PUHUI_PIN),
        basis,
        filing,
    )
    return dataclasses.replace(
        outcome, missing=(*outcome.missing, *missing), basis=cast(Basis, reading), children=children
    )


def demonstration_award(ctx: RuleContext) -> Outcome:
    """对于入选市示范用人单位嵌入式托育机构的,可获5万~15万元一次性奖补资金 (one-time)."""
    found = ctx.designated_amount(
        f"{DEMONSTRATION}.amount",
        msg("hangzhou.demonstration.not_selected", designation=ctx.program.designation or ""),
        msg("hangzhou.demonstration.no_amount", on=ctx.on),  # reachable only through a reform
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    reasons = [msg("hangzhou.demonstration.selected", year=designation.year, amount=amount)]
    if not ctx.facility.embedded:
        reasons.append(msg("hangzhou.demonstration.not_embedded_note"))
    return ctx.eligible(amount, *reasons)


RULES: Mapping[str, Rule] = {
    PUHUI: puhui_subsidy,
    DEMONSTRATION: demonstration_award,
}


def load() -> Policy:
    return load_builtin("hangzhou", RULES)
