"""Chengdu (成都市), Sichuan: the union work plan's demonstration-site subsidy and its rules.

* ``chengdu.demonstration_subsidy``: "市总工会和市卫健委将给予示范点位一定的专项经费补助": a city
  demonstration site (designation ``chengdu.demonstration_site``) gets "a certain" special subsidy, an
  amount the plan does not state. Without the awarded amount the entry is undetermined and ``missing``
  names ``designations[chengdu.demonstration_site].amount``; with it, eligible at that amount. The seed
  condition "托育机构要严格按要求完成登记、备案" (``chengdu.registration``) is applied: a facility not
  registered or not filed is ineligible; when the caller does not say, the designation decides and the
  unsupplied facts are listed in ``missing``.
* Non-money programmes, declared in ``jurisdictions/chengdu.toml`` with their quotes: ``chengdu.price_cap``,
  ``chengdu.registration``, ``chengdu.targets`` and ``chengdu.union_fund_rules`` (one citation per rule of
  section 四（四）).
* Sichuan's 普惠 subsidy (``sichuan.puhui_subsidy``) and the national award with its provincial match
  (paid by ``sichuan.union``) apply through the chain.

References: seed 003, 关于积极推动有条件的用人单位为职工提供托育服务的工作方案 (成都市总工会, 2023).

Payers: the union and the health commission pay the subsidy jointly in unstated shares, so its payer is the
joint payer ``chengdu.union+chengdu.health_commission`` (names 成都市总工会与成都市卫生健康委员会). The city's
``chengdu.government`` and ``chengdu.county_government`` pay the city-and-county half of Sichuan's 普惠 subsidy
(``sichuan.puhui_subsidy_city_county``), a reading of an English report (China Daily 2025-08-22, secondary).

Limitations: no amount, basis (one-time is a documented assumption) or dates for the subsidy; the
八不准 and 工女字〔2023〕7号 are cited by name only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.messages import msg
from ..core.policy import Outcome, Policy, Rule

DEMONSTRATION = "chengdu.demonstration_subsidy"


def demonstration_subsidy(ctx: RuleContext) -> Outcome:
    """市总工会和市卫健委将给予示范点位一定的专项经费补助: an amount the plan does not state."""
    designation = ctx.designated(msg("chengdu.demonstration.not_a_site", designation=ctx.program.designation or ""))
    if isinstance(designation, Outcome):
        return designation

    # Seed condition (四（三）): 托育机构要严格按要求完成登记、备案.
    ctx.cite("chengdu.seed_registration")
    f = ctx.facility
    unsupplied, failed = ctx.conditions(
        ("registered", f.registered, msg("chengdu.demonstration.not_registered")),
        ("filed", f.filed, msg("chengdu.demonstration.not_filed")),
    )
    if failed:
        return ctx.ineligible(msg("chengdu.demonstration.registration_required"), *failed)

    ctx.value(f"{DEMONSTRATION}.amount")  # records that the amount is not stated
    outcome = ctx.not_stated(
        msg("chengdu.demonstration.site", year=designation.year),
        msg("chengdu.demonstration.amount_not_stated"),
    )
    if not unsupplied:
        return outcome
    return dataclasses.replace(
        outcome,
        reasons=(*outcome.reasons, msg("chengdu.demonstration.registration_missing", fields=unsupplied)),
        missing=(*outcome.missing, *unsupplied),
    )


RULES: Mapping[str, Rule] = {DEMONSTRATION: demonstration_subsidy}


def load() -> Policy:
    return load_builtin("chengdu", RULES)
