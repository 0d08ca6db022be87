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
from ..core.policy import Outcome, Policy, Rule

AWARD = "weifang.caring_employer_award"
COUNTY_MATCH = "weifang.county_match"

# 三办一托: the modes the city promotes (seed 000), and how this library maps them.
SANBAN_YITUO: Mapping[str, str] = {
    "self_run": "用人单位单独办 (self-run)",
    "third_party": "用人单位+第三方联合办 (employer with a third-party operator)",
    "park_shared": "园区共享办 (park-shared)",
    "union_venue": "工会阵地灵活托 (flexible care in a union venue)",
}


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """开展潍坊市爱心托育用人单位评选活动,提供3万~5万元的专项补助资金 (one-time, per selected unit)."""
    found = ctx.designated_amount(
        f"{AWARD}.amount",
        "not selected as a Weifang caring employer (潍坊市爱心托育用人单位): no weifang.caring_employer",
        "no award amount is in force on this day",  # reachable only through a reform that removes the amount
        late="the selection is of {year}",
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    reasons = [
        f"selected as a Weifang caring employer ({designation.year}): one-time special subsidy of "
        f"{amount.format('wan')}; reading: the union decides the sum inside the range (the seed states the range, "
        "not who picks the sum)",
    ]
    f = ctx.facility
    mode_text = SANBAN_YITUO.get(f.mode)
    if mode_text is not None:
        reasons.append(f"mode {f.mode}: {mode_text}, one of the 三办一托 modes the city promotes")
    else:
        reasons.append(
            f"note: mode {f.mode} is not one of the 三办一托 modes the city promotes (self_run, third_party, "
            "park_shared, union_venue); the seed does not restrict selection to them, and the unit was "
            "selected, so it stays eligible"
        )
    return ctx.eligible(amount, *reasons)


def county_match(ctx: RuleContext) -> Outcome | None:
    """县级工会按1:1进行资金配套: the county-level union adds exactly the city award."""
    grant = ctx.entitlements.get(AWARD)
    if grant is None:  # pragma: no cover - the engine only asks when the award exists
        return None
    ratio = ctx.ratio(f"{COUNTY_MATCH}.ratio")
    if ratio is None:  # reachable only through a reform that removes the ratio
        return None
    return ctx.match(grant, ratio, "按1:1: a pinned city award pins the county match to the same sum")


RULES: Mapping[str, Rule] = {
    AWARD: caring_employer_award,
    COUNTY_MATCH: county_match,
}


def load() -> Policy:
    return load_builtin("weifang", RULES)
