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
from ..core.messages import Message, msg
from ..core.policy import Outcome, Policy, Rule

CONSTRUCTION = "xiamen.construction_subsidy"
OPERATING = "xiamen.operating_subsidy"


def construction_subsidy(ctx: RuleContext) -> Outcome:
    """对用人单位自建自办的托育中心实行5万~10万元的建设补助 (one-time, self-built and self-run)."""
    f = ctx.facility
    amount = ctx.amount_in_force(f"{CONSTRUCTION}.amount", msg("xiamen.construction.no_amount", on=ctx.on))
    if isinstance(amount, Outcome):
        return amount
    failed = []
    if not f.self_built:
        failed.append(msg("xiamen.construction.not_self_built"))
    if f.mode != "self_run":
        failed.append(msg("xiamen.construction.not_self_run", mode=f.mode))
    if failed:
        return ctx.ineligible(msg("xiamen.construction.for_zijian_ziban"), *failed)

    # Conditions from the refinements (official press reports): checked when the caller supplies the fact;
    # an unsupplied fact does not change the seed's status, it is listed in `missing`.
    min_intake = ctx.count(f"{CONSTRUCTION}.min_first_intake")
    ctx.cite("xiamen.tiers_haixi")
    intake = f.first_intake
    missing, unmet = ctx.conditions(
        (
            "first_intake",
            None if intake is None else min_intake is None or intake >= min_intake,
            msg("xiamen.construction.small_first_intake", intake=intake or 0, minimum=min_intake or 0),
        ),
        ("full_day", f.full_day, msg("xiamen.construction.no_full_day")),
        ("staff_puhui_fees", f.staff_puhui_fees, msg("xiamen.construction.no_staff_puhui_fees")),
    )
    if unmet:
        return ctx.ineligible(msg("xiamen.construction.condition_unmet"), *unmet)
    reasons = [msg("xiamen.construction.eligible", amount=amount)]
    if missing:
        reasons.append(msg("xiamen.construction.conditions_missing", minimum=min_intake or 0, fields=missing))
    return ctx.eligible(amount, *reasons, missing=tuple(missing))


# 自办、联办或购买服务: the modes the operating subsidy names (the glossary's ``mode`` terms render them).
OPERATING_MODES: frozenset[str] = frozenset({"self_run", "joint_run", "purchased_places", "third_party"})


def operating_subsidy(ctx: RuleContext) -> Outcome:
    """对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助 (per year)."""
    f = ctx.facility
    if f.mode not in OPERATING_MODES:
        return ctx.ineligible(msg("xiamen.operating.mode_not_named", mode=f.mode))
    if f.classes is None:
        amount = ctx.amount_in_force(f"{OPERATING}.amount", msg("xiamen.operating.no_amount", on=ctx.on))
        if isinstance(amount, Outcome):
            return amount
        return ctx.eligible(amount, msg("xiamen.operating.per_facility", mode=f.mode, amount=amount))
    table = ctx.brackets(f"{OPERATING}.per_class")
    if table is None:
        return ctx.ineligible(msg("xiamen.operating.no_per_class", on=ctx.on))
    if f.accepted is False:
        return ctx.ineligible(msg("xiamen.operating.not_accepted", mode=f.mode))
    parts: list[Message] = []
    total = Decimal("0.00")
    for size in f.classes:
        row = next((b for b in table if b.covers(size)), None)
        if row is None:
            fallback = ctx.amount_in_force(
                f"{OPERATING}.amount", msg("xiamen.operating.outside_table_no_amount", size=size, on=ctx.on)
            )
            if isinstance(fallback, Outcome):
                return fallback
            return ctx.eligible(
                fallback, msg("xiamen.operating.outside_table", mode=f.mode, size=size, amount=fallback)
            )
        parts.append(msg("xiamen.operating.class", size=size, amount=row.amount))
        total += row.amount
    reasons = (
        msg("xiamen.operating.per_class", mode=f.mode, classes=len(parts), total=total),
        *parts,
        msg("xiamen.operating.per_class_source"),
    )
    if total == 0:
        return ctx.ineligible(*reasons, msg("xiamen.operating.classes_too_small"))
    if f.accepted is None:  # a refinement's fact not supplied: listed, the status unchanged (the contract)
        return ctx.eligible(
            AmountRange.exactly(total), *reasons, msg("xiamen.operating.accepted_missing"), missing=("accepted",)
        )
    return ctx.eligible(AmountRange.exactly(total), *reasons, msg("xiamen.operating.accepted"))


RULES: Mapping[str, Rule] = {
    CONSTRUCTION: construction_subsidy,
    OPERATING: operating_subsidy,
}


def load() -> Policy:
    return load_builtin("xiamen", RULES)
