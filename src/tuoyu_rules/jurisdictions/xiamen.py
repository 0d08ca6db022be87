"""Xiamen (厦门市), Fujian: the municipal union's construction and operating subsidies.

References: seed 000, 福建省厦门市总工会《真抓实干 先行先试》("二是加大资金支持"); Workers' Daily
2022-08-26 and Haixi Morning Post 2023-07-19 (construction tiers and conditions, official); East Money
reprint 2022-07-07 (operating subsidy per class, secondary).

Limitations: the tier criteria are unpublished (pin the tier when known); the seed does not say whether the
operating subsidy is per facility or per class (per facility by default); the per-class reading pays after
acceptance (验收, ``Facility.accepted``: False is ineligible, not supplied is listed in ``missing`` and changes
nothing); the sources state no dates: before the earliest dated source reporting each subsidy (its programme's
``reported_since``) the engine gives an undetermined entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Outcome, Policy, Rule

CONSTRUCTION = "xiamen.construction_subsidy"
OPERATING = "xiamen.operating_subsidy"


def construction_subsidy(ctx: RuleContext) -> Outcome:
    """对用人单位自建自办的托育中心实行5万~10万元的建设补助 (one-time, self-built and self-run)."""
    f = ctx.facility
    amount = ctx.amount_in_force(f"{CONSTRUCTION}.amount", "no construction subsidy amount is in force on this day")
    if isinstance(amount, Outcome):
        return amount
    failed = []
    if not f.self_built:
        failed.append("the premises are not self-built (自建)")
    if f.mode != "self_run":
        failed.append(f"the mode is {f.mode}, not self-run (自办)")
    if failed:
        return ctx.ineligible(
            "the construction subsidy is for self-built, self-run (自建自办) centres: " + "; ".join(failed)
        )

    # Conditions from the refinements (official press reports): checked when the caller supplies the fact;
    # an unsupplied fact does not change the seed's status, it is listed in `missing`.
    min_intake = ctx.count(f"{CONSTRUCTION}.min_first_intake")
    ctx.cite("xiamen.tiers_haixi")
    intake = f.first_intake
    missing, unmet = ctx.conditions(
        (
            "first_intake",
            None if intake is None else min_intake is None or intake >= min_intake,
            f"first intake of {intake} infants, fewer than {min_intake}",
        ),
        ("full_day", f.full_day, "no full-day care (全日托)"),
        ("staff_puhui_fees", f.staff_puhui_fees, "the unit's own staff are not charged 普惠 fees"),
    )
    if unmet:
        return ctx.ineligible("self-built and self-run, but a published condition is not met: " + "; ".join(unmet))
    reasons = [
        f"self-built and self-run (自建自办): one-time construction subsidy of {amount.format('wan')}; the union "
        "picks the amount by the scale of the build and the investment",
    ]
    if missing:
        reasons.append(
            f"conditions from press reports (first intake of at least {min_intake} infants, full-day care, 普惠 fees "
            f"for staff) not supplied: {', '.join(missing)}; they do not change the seed's status"
        )
    return ctx.eligible(amount, *reasons, missing=tuple(missing))


# 自办、联办或购买服务: the modes the operating subsidy names, and how this library maps them.
OPERATING_MODES: Mapping[str, str] = {
    "self_run": "自办 (self-run)",
    "joint_run": "联办 (joint-run)",
    "purchased_places": "购买服务 (purchased places)",
    "third_party": "购买服务 (the employer buys a third-party operator's service)",
}


def operating_subsidy(ctx: RuleContext) -> Outcome:
    """对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助 (per year)."""
    f = ctx.facility
    mode_text = OPERATING_MODES.get(f.mode)
    if mode_text is None:
        return ctx.ineligible(
            f"the mode is {f.mode}; the operating subsidy names self-run, joint-run and purchased services "
            "(自办、联办或购买服务)"
        )
    if f.classes is None:
        amount = ctx.amount_in_force(f"{OPERATING}.amount", "no operating subsidy amount is in force on this day")
        if isinstance(amount, Outcome):
            return amount
        return ctx.eligible(
            amount,
            f"{mode_text}: {amount.format('wan')} a year per facility (the seed's reading); give class sizes "
            "for the per-class reading",
        )
    table = ctx.brackets(f"{OPERATING}.per_class")
    if table is None:
        return ctx.ineligible("no per-class operating amounts are in force on this day")
    if f.accepted is False:
        return ctx.ineligible(
            f"{mode_text}: the per-class reading (secondary source) pays the subsidy after acceptance (验收), and "
            "the facility is given as not accepted"
        )
    parts: list[str] = []
    total = Decimal("0.00")
    for size in f.classes:
        row = next((b for b in table if b.covers(size)), None)
        if row is None:
            fallback = ctx.amount_in_force(
                f"{OPERATING}.amount",
                f"a class of {size} children lies outside the per-class table, and no per-facility operating "
                "amount is in force on this day",
            )
            if isinstance(fallback, Outcome):
                return fallback
            return ctx.eligible(
                fallback,
                f"{mode_text}: a class of {size} children lies outside the per-class table, so the seed's "
                f"per-facility reading applies: {fallback.format('wan')} a year",
            )
        parts.append(f"class of {size}: {row.amount}")
        total += row.amount
    reasons = (
        f"{mode_text}: per-class reading (secondary source): " + "; ".join(parts) + f"; total {total} a year",
        "the seed states 1.5万~2.5万元 a year without saying per what; this per-class figure rests on a reprint",
    )
    if total == 0:
        return ctx.ineligible(*reasons, "no class has 5 or more children: a class under 5 gets nothing")
    if f.accepted is None:  # a refinement's fact not supplied: listed, the status unchanged (the contract)
        return ctx.eligible(
            AmountRange.exactly(total),
            *reasons,
            "accepted (验收) not supplied: the per-class source pays after acceptance; it does not change the "
            "status, and is listed in missing",
            missing=("accepted",),
        )
    return ctx.eligible(AmountRange.exactly(total), *reasons, "accepted (验收): yes, as the per-class source requires")


RULES: Mapping[str, Rule] = {
    CONSTRUCTION: construction_subsidy,
    OPERATING: operating_subsidy,
}


def load() -> Policy:
    return load_builtin("xiamen", RULES)
