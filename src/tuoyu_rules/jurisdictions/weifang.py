"""Weifang (潍坊市), Shandong: the municipal union's caring-employer award and the county match.

References: seed 000, 山东省潍坊市总工会《推动托育服务工作全“心”发展》, 推动试点先行: "开展潍坊市爱心托育
用人单位评选活动,提供3万~5万元的专项补助资金,县级工会按1:1进行资金配套", and the "三办一托" modes.

Limitations: selection is a fact the caller gives (``weifang.caring_employer`` with its year); the union
decides the sum inside 3万~5万元 (pin it with the designation's amount); no dates are stated; the seed does
not name which county union matches (the unit's own county is the natural reading).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.messages import msg
from ..core.policy import Outcome, Policy, Rule

AWARD = "weifang.caring_employer_award"
COUNTY_MATCH = "weifang.county_match"

# 三办一托: the modes the city promotes (seed 000), and the message naming each in the seed's words.
SANBAN_YITUO: Mapping[str, str] = {
    "self_run": "weifang.award.mode_self_run",  # 用人单位单独办
    "third_party": "weifang.award.mode_third_party",  # 用人单位+第三方联合办
    "park_shared": "weifang.award.mode_park_shared",  # 园区共享办
    "union_venue": "weifang.award.mode_union_venue",  # 工会阵地灵活托
}


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """开展潍坊市爱心托育用人单位评选活动,提供3万~5万元的专项补助资金 (one-time, per selected unit)."""
    found = ctx.designated_amount(
        f"{AWARD}.amount",
        msg("weifang.award.not_selected", designation=ctx.program.designation or ""),
        msg("weifang.award.no_amount", on=ctx.on),  # reachable only through a reform that removes the amount
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    mode = ctx.facility.mode
    mode_code = SANBAN_YITUO.get(mode)
    return ctx.eligible(
        amount,
        msg("weifang.award.selected", year=designation.year, amount=amount),
        msg(mode_code, mode=mode) if mode_code is not None else msg("weifang.award.mode_other_note", mode=mode),
    )


def county_match(ctx: RuleContext) -> Outcome | None:
    """县级工会按1:1进行资金配套: the county-level union adds exactly the city award."""
    grant = ctx.entitlements.get(AWARD)
    if grant is None:  # pragma: no cover - the engine only asks when the award exists
        return None
    ratio = ctx.ratio(f"{COUNTY_MATCH}.ratio")
    if ratio is None:  # reachable only through a reform that removes the ratio
        return None
    return ctx.match(grant, ratio, msg("weifang.match.pinned_award"))


RULES: Mapping[str, Rule] = {
    AWARD: caring_employer_award,
    COUNTY_MATCH: county_match,
}


def load() -> Policy:
    return load_builtin("weifang", RULES)
