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
from ..core.messages import msg
from ..core.policy import Outcome, Policy, Rule

AWARD = "cn.caring_employer_award"
MATCH_RATIO = "cn.caring_employer_provincial_match.ratio"
PROJECT = "cn.employer_childcare_project_2025"
JOINT_BATCHES = frozenset({2023})
"""Batches whose award the ACFTU and the provincial union pay together, split not published (cn.batch_2023_joint)."""


BATCH_NOTES: Mapping[int, str] = {
    2022: "cn.award.note_2022",
    2023: "cn.award.note_2023",
    2024: "cn.award.note_2024",
}
"""The message that says what each batch's source states beside its amount (the parameter value's ``note``)."""


def caring_employer_award(ctx: RuleContext) -> Outcome:
    """全国爱心托育用人单位: "以每个用人单位10万元的标准 ... 提供资金补助" (2022 batch); later batches by year."""
    designation = ctx.designated(msg("cn.award.not_designated"))
    if isinstance(designation, Outcome):
        return designation
    year = designation.year
    value = ctx.value(f"{AWARD}.amount", batch=year)
    province = ctx.layer("province")
    union = None if province is None else f"{province.id}.union"
    # The batch's note, where the value read has one (a reform's value may not: it says nothing of the batch), and
    # only where the provincial union it may name is known (a plugin city directly under cn has none).
    note = (
        msg(BATCH_NOTES[year], union=union)
        if year in BATCH_NOTES and value is not None and value.note and union is not None
        else None
    )
    if value is None:
        batches = ctx.policy.parameters[f"{AWARD}.amount"].batches
        if year < batches[0]:
            return ctx.ineligible(msg("cn.award.no_such_batch", year=year, first=batches[0]))
        return ctx.not_stated(msg("cn.award.batch_not_stated", year=year))
    if not isinstance(value.value, AmountRange):
        return ctx.not_stated(note or msg("cn.award.batch_not_stated", year=year))
    reasons = [msg("cn.award.batch", year=year, amount=value.value)]
    if note is not None:
        reasons.append(note)
    outcome = ctx.eligible(value.value, *reasons)
    if year not in JOINT_BATCHES:
        return outcome
    if province is None:  # a plugin city directly under cn: the provincial union cannot be named
        return dataclasses.replace(outcome, reasons=(*outcome.reasons, msg("cn.award.no_province")))
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
        msg("cn.match.not_published", year=designation.year, payer=ctx.payer, program=grant.program),
        msg("cn.match.read_as_every_province"),
        msg("cn.match.missing_ratio", parameter=MATCH_RATIO),
        missing=(MATCH_RATIO,),
    )


def employer_childcare_project_2025(ctx: RuleContext) -> Outcome:
    """2025 scheme: 10,000 yuan per qualifying project (new build, 托幼一体 conversion or expansion since 2025).

    The caller states the project with the designation ``cn.childcare_project`` and its year; the engine
    reports the programme as not in force before 2025-01-01 (its start date).
    """
    project = ctx.designation()
    if project is None:
        return ctx.ineligible(msg("cn.project.none"))
    first_year = ctx.count(f"{PROJECT}.first_year")
    amount = ctx.range(f"{PROJECT}.amount")
    if first_year is None or amount is None:
        return ctx.ineligible(msg("cn.project.no_amount", on=ctx.on))
    if project.year < first_year:
        return ctx.ineligible(msg("cn.project.too_early", year=project.year, first=first_year))
    if project.year > ctx.on.year:
        return ctx.ineligible(msg("cn.project.after_day", year=project.year, on=ctx.on))
    reasons = [msg("cn.project.eligible", year=project.year, amount=amount)]
    if ctx.facility.mode == "park_shared":
        reasons.append(msg("cn.project.park"))
    return ctx.eligible(amount, *reasons)


RULES: Mapping[str, Rule] = {
    AWARD: caring_employer_award,
    "cn.caring_employer_provincial_match": caring_employer_provincial_match,
    PROJECT: employer_childcare_project_2025,
}


def load() -> Policy:
    return load_builtin("cn", RULES)
