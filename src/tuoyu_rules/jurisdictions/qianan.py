"""Qian'an (迁安市), Hebei: the caring-unit subsidy (爱心托育单位资金补贴) and the fee arrangements it reports.

Qian'an is a county-level city administered by Tangshan (唐山市); its layer sits directly under Hebei
because the sources give no Tangshan rule.

* ``qianan.caring_unit_subsidy``: "对爱心托育单位给予最高不超过7万元/家的资金补贴": one-time, 0 to 70,000
  yuan per designated caring unit (designation ``qianan.caring_unit``); the granting body decides inside
  the range and a designation's ``amount`` pins it.
* Non-money programmes, declared in ``jurisdictions/qianan.toml`` with their quotes: ``qianan.union_funds_allowed``
  (union funds may pay childcare), and the fee rules ``qianan.merchant_children_fee`` (85% of the market
  price), ``qianan.employee_half_price`` (half price) and ``qianan.employer_allowance`` (200 a month).

References: seed 001, 河北迁安:爱心托育 化解职工“带娃焦虑” (迁安市委改革办, 2024-01-24).

Limitations: the source names neither the paying body (``qianan.union`` is a documented assumption) nor
the selection criteria, nor any dates; the fee arrangements are named employers' examples, not city rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.messages import msg
from ..core.policy import Outcome, Policy, Rule

CARING_UNIT = "qianan.caring_unit_subsidy"


def caring_unit_subsidy(ctx: RuleContext) -> Outcome:
    """对爱心托育单位给予最高不超过7万元/家的资金补贴: one-time, at most 70,000 yuan per caring unit."""
    found = ctx.designated_amount(
        f"{CARING_UNIT}.amount",
        msg("qianan.caring_unit.not_designated", designation=ctx.program.designation or ""),
        msg("qianan.caring_unit.no_amount", on=ctx.on),
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    if amount.low == 0 and amount.high is not None:  # 最高不超过: only the ceiling is stated
        return ctx.eligible(amount, msg("qianan.caring_unit.up_to", year=designation.year, high=amount.high))
    return ctx.eligible(amount, msg("qianan.caring_unit.designated", year=designation.year, amount=amount))


RULES: Mapping[str, Rule] = {CARING_UNIT: caring_unit_subsidy}


def load() -> Policy:
    return load_builtin("qianan", RULES)
