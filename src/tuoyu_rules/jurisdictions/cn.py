"""National layer (中华人民共和国): ACFTU 全国总工会 and NHC 国家卫生健康委.

References: seed 000 (the 2023 national on-site meeting); Workers' Daily 2023-05-05, Guangming Daily
2024-04-04 and Inner Mongolia Daily 2025-03-28 for the batches by year; Economic Daily 2025-11-28 and
People's Daily 2025-11-30 for the 2025 project scheme. The family allowance (育儿补贴), the facility standard
and the family childcare point rules are declared in ``jurisdictions/cn.toml`` (not facility entitlements).

Payers by batch: 2022, the ACFTU (``cn.acftu``) and a separate provincial match of at least 1:1; 2023, the
ACFTU and the provincial union together, no split published (光明日报 2024-04-04: "全国总工会、省级总工会将下拨
资金"), so the whole sum has the joint payer ``cn.acftu+<province>.union`` (the province layer of the chain; with
no province layer, ``cn.acftu`` alone and a reason saying so); 2024, the ACFTU's award (per-unit amount not
stated) and the provincial union's match of an unstated amount (内蒙古日报 2025-03-28: "自治区总工会将给予一定的
匹配资金"), an obligation with no ratio, undetermined. The ACFTU's own 2022-2024 total (22.5 million for 300
units, an English report of 2025-07-30: secondary) is why the 2023 sum is never booked to the ACFTU alone.

Limitations: the library does not decide who is designated or which project qualifies; a batch whose
per-unit amount no source states (2024) is undetermined unless the caller pins it; the 2025 scheme states no
end date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import JOINT, load_builtin
from ..core.policy import Outcome, Policy, Rule

AWARD = "cn.caring_employer_award"
MATCH_RATIO = "cn.caring_employer_provincial_match.ratio"
PROJECT = "cn.employer_childcare_project_2025"
JOINT_BATCHES = frozenset({2023})
"""Batches whose award the ACFTU and the provincial union pay together, split not published (cn.batch_2023_joint)."""


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """全国爱心托育用人单位: "以每个用人单位10万元的标准 ... 提供资金补助" (2022 batch); later batches by year."""
    designation = ctx.designated(
        "not designated a national caring employer (全国爱心托育用人单位): no cn.caring_employer",
        late="the designation is of the {year} batch",
    )
    if isinstance(designation, Outcome):
        return designation
    year = designation.year
    value = ctx.value(f"{AWARD}.amount", batch=year)
    if value is None:
        batches = ctx.policy.parameters[f"{AWARD}.amount"].batches
        if year < batches[0]:
            return ctx.ineligible(
                f"there is no {year} batch: the first list of national caring employers is the {batches[0]} batch"
            )
        return ctx.not_stated(f"no source found states the per-unit award of the {year} batch")
    if not isinstance(value.value, AmountRange):
        return ctx.not_stated(f"{year} batch: {value.note or 'per-unit amount not stated'}")
    reasons = [f"{year} batch of national caring employers: {value.render()} yuan per unit"]
    province = ctx.layer("province")
    union = f"{province.id}.union" if province else "the provincial union"
    if value.note:
        reasons.append(value.note.replace("{provincial_union}", union))
    outcome = ctx.eligible(value.value, *reasons)
    if year not in JOINT_BATCHES:
        return outcome
    if province is None:  # a plugin city directly under cn: the provincial union cannot be named
        return dataclasses.replace(
            outcome,
            reasons=(
                *outcome.reasons,
                "no province layer above this jurisdiction: the provincial union that pays jointly with the ACFTU "
                "cannot be named, so the joint sum is listed under cn.acftu, standing for both",
            ),
        )
    return dataclasses.replace(outcome, payer=f"{ctx.payer}{JOINT}{union}")


def caring_employer_provincial_match(ctx: RuleContext) -> Outcome | None:
    """省级工会进行不低于1:1的资金配套: the provincial union adds at least the national award (2022 batch).

    2023: no separate match (the joint sum includes the provincial union's part). 2024: "自治区总工会将给予一定的
    匹配资金": a match whose ratio and amount are not published, an undetermined obligation with no ratio.
    """
    grant = ctx.entitlements[AWARD]
    designation = ctx.facility.designation("cn.caring_employer")
    if designation is None or ctx.layer("province") is None:
        return None
    ratio = ctx.ratio(MATCH_RATIO, batch=designation.year)
    if ratio is not None:
        return ctx.match(grant, ratio)
    if not any(use.name == MATCH_RATIO for use in ctx.uses):
        return None  # no value for the batch (2023: joint sum; later: no source); the award's reasons say so
    return ctx.undetermined(
        AmountRange.unknown(),
        f"{designation.year} batch: the provincial union ({ctx.payer}) gives a matching fund of "
        f"{grant.program} (将给予一定的匹配资金); its ratio and amount are not published",
        "the report seen is Inner Mongolia's (自治区总工会); it is read as every provincial union's match",
        f"missing names the ratio parameter: only a published ratio (or a what-if reform setting {MATCH_RATIO} "
        "for the batch) decides the amount",
        missing=(MATCH_RATIO,),
    )


def employer_childcare_project_2025(ctx: RuleContext) -> Outcome:
    """2025 scheme: 10,000 yuan per qualifying project (new build, 托幼一体 conversion or expansion since 2025).

    The caller states the project with the designation ``cn.childcare_project`` and its year; the engine
    reports the programme as not in force before 2025-01-01 (its start date).
    """
    project = ctx.designation()
    if project is None:
        return ctx.ineligible(
            "no qualifying project stated (cn.childcare_project): the 2025 scheme supports a new build, a 托幼一体 "
            "conversion or an expansion since 2025, mainly serving the unit's own employees"
        )
    first_year = ctx.count(f"{PROJECT}.first_year")
    amount = ctx.range(f"{PROJECT}.amount")
    if first_year is None or amount is None:
        return ctx.ineligible(f"no amount of the 2025 project scheme is in force on {ctx.on}")
    if project.year < first_year:
        return ctx.ineligible(
            f"the project is of {project.year}; the 2025 scheme counts projects since {first_year} only"
        )
    if project.year > ctx.on.year:
        return ctx.ineligible(f"the project is of {project.year}, after the day assessed ({ctx.on})")
    reasons = [f"qualifying {project.year} project under the 2025 scheme: {amount.format()} per project (one-time)"]
    if ctx.facility.mode == "park_shared":
        reasons.append("an industrial-park project counts as an employer project")
    return ctx.eligible(amount, *reasons)


RULES: Mapping[str, Rule] = {
    AWARD: caring_employer_award,
    "cn.caring_employer_provincial_match": caring_employer_provincial_match,
    PROJECT: employer_childcare_project_2025,
}


def load() -> Policy:
    return load_builtin("cn", RULES)
