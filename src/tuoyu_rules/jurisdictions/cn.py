"""National layer (中华人民共和国): ACFTU 全国总工会 and NHC 国家卫生健康委.

References: seed 000 (the 2023 national on-site meeting); Workers' Daily 2023-05-05, Guangming Daily
2024-04-04 and Inner Mongolia Daily 2025-03-28 for the batches by year; Economic Daily 2025-11-28 and
People's Daily 2025-11-30 for the 2025 project scheme. The family allowance (育儿补贴), the facility standard
and the family childcare point rules are declared in ``jurisdictions/cn.toml`` (not facility entitlements).

Limitations: the library does not decide who is designated or which project qualifies; a batch whose
per-unit amount no source states (2024) is undetermined unless the caller pins it; the 2025 scheme states no
end date.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import load_builtin
from ..core.policy import Outcome, Policy, Rule

AWARD = "cn.caring_employer_award"
PROJECT = "cn.employer_childcare_project_2025"


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
    if value.note:
        province = ctx.layer("province")
        union = f"{province.id}.union" if province else "the provincial union"
        reasons.append(value.note.replace("{provincial_union}", union))
    return ctx.eligible(value.value, *reasons)


def caring_employer_provincial_match(ctx: RuleContext) -> Outcome | None:
    """省级工会进行不低于1:1的资金配套: the provincial union adds at least the national award."""
    grant = ctx.entitlements[AWARD]
    designation = ctx.facility.designation("cn.caring_employer")
    if designation is None or ctx.layer("province") is None:
        return None
    ratio = ctx.ratio("cn.caring_employer_provincial_match.ratio", batch=designation.year)
    if ratio is None:
        return None  # 2023 onwards: joint sum or not stated; the award's reasons say so
    return ctx.match(grant, ratio)


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
