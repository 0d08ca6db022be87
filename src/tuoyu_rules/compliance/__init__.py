"""Compliance checks, each cited, returning findings (never raising for a compliance problem).

One import for every check and model:

* :func:`check_union_spending` (Chengdu's rules on union money for childcare, seed 003 四（四）) with
  :class:`UnionSpendingPlan` and :class:`SpendingItem`;
* :func:`check_facility_standards` / :func:`check_standards` (national class sizes, carer ratios and ages;
  family childcare points; Hangzhou's size limits; a caller-supplied area per place) with
  :class:`StandardsInput` and :class:`ChildcareClass`;
* :func:`health_guidance_gaps` and :func:`check_health_guidance` (Hangzhou's on-site health guidance at least
  once every two months), with :class:`GuidanceGap`;
* :func:`chengdu_target_progress` (Chengdu's demonstration-site and pilot targets to the end of 2025).

Each returns a :class:`ComplianceReport` of :class:`Finding` entries (or, for ``health_guidance_gaps``, the
gaps themselves). See :mod:`tuoyu_rules.compliance.findings` for the outcomes and how ``compliant`` is decided.
Each takes ``lang="zh"`` or ``"en"`` (the default): the language of a finding's ``message`` and of the report's
``notes``; their ``explanation`` is the same as data (a stable code ``compliance.<topic>.<what>``, its parameters
and both texts, from ``compliance/messages.toml``).

Modules: :mod:`~tuoyu_rules.compliance.findings` (findings, reports and what the checks share);
:mod:`~tuoyu_rules.compliance.union_plan` (the spending plan) and :mod:`~tuoyu_rules.compliance.spending` (its
checks); :mod:`~tuoyu_rules.compliance.standards_input` (the facility input),
:mod:`~tuoyu_rules.compliance.national_standards` (national class and family-point checks),
:mod:`~tuoyu_rules.compliance.hangzhou_limits` (Hangzhou's size limits) and
:mod:`~tuoyu_rules.compliance.standards` (the area per place and the check running them all);
:mod:`~tuoyu_rules.compliance.schedule` (health guidance and Chengdu's targets).

What it may import: :mod:`tuoyu_rules.core` only.
"""

from __future__ import annotations

from .findings import FINDING_OUTCOMES, ComplianceReport, Finding, FindingOutcome
from .schedule import (
    CHENGDU_TARGET_DEADLINE,
    GuidanceGap,
    check_health_guidance,
    chengdu_target_progress,
    health_guidance_gaps,
)
from .spending import check_union_spending
from .standards import check_facility_standards, check_standards
from .standards_input import (
    CLASS_KINDS,
    HENAN_COLLEGE_AREA,
    HENAN_COLLEGE_MIN_AREA_PER_PLACE,
    ChildcareClass,
    ClassKind,
    HangzhouReading,
    StandardsInput,
)
from .union_plan import (
    PAYEES,
    SETTLEMENTS,
    SPENDING_CATEGORIES,
    Payee,
    Settlement,
    SpendingCategory,
    SpendingItem,
    UnionSpendingPlan,
)

__all__ = [
    "CHENGDU_TARGET_DEADLINE",
    "CLASS_KINDS",
    "FINDING_OUTCOMES",
    "HENAN_COLLEGE_AREA",
    "HENAN_COLLEGE_MIN_AREA_PER_PLACE",
    "PAYEES",
    "SETTLEMENTS",
    "SPENDING_CATEGORIES",
    "ChildcareClass",
    "ClassKind",
    "ComplianceReport",
    "Finding",
    "FindingOutcome",
    "GuidanceGap",
    "HangzhouReading",
    "Payee",
    "Settlement",
    "SpendingCategory",
    "SpendingItem",
    "StandardsInput",
    "UnionSpendingPlan",
    "check_facility_standards",
    "check_health_guidance",
    "check_standards",
    "check_union_spending",
    "chengdu_target_progress",
    "health_guidance_gaps",
]
