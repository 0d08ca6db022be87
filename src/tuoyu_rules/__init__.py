"""tuoyu_rules: Chinese employer-childcare policy (用人单位托育服务) as exact, cited, testable code.

>>> import datetime as dt
>>> import tuoyu_rules as tr
>>> f = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
>>> a = tr.assess(f, on=dt.date(2024, 1, 1))
>>> a.entitlement("xiamen.construction_subsidy").amount.format()
'50,000.00 – 100,000.00 (50,000.00 / 80,000.00 / 100,000.00)'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import (
        RuleCache,
        assess_many,
        check_columns,
        merge_totals,
        tally,
        tally_columns,
    )
    from .compliance import (
        CHENGDU_TARGET_DEADLINE,
        FINDING_OUTCOMES,
        HENAN_COLLEGE_AREA,
        HENAN_COLLEGE_MIN_AREA_PER_PLACE,
        ChildcareClass,
        ClassKind,
        ComplianceReport,
        Finding,
        FindingOutcome,
        GuidanceGap,
        HangzhouReading,
        Payee,
        Settlement,
        SpendingCategory,
        SpendingItem,
        StandardsInput,
        UnionSpendingPlan,
        check_facility_standards,
        check_health_guidance,
        check_standards,
        check_union_spending,
        chengdu_target_progress,
        health_guidance_gaps,
    )
    from .core.amounts import AmountRange
    from .core.citations import Citation, Confidence
    from .core.context import RuleContext
    from .core.engine import assess
    from .core.errors import (
        AmountOutsideRange,
        InvalidInput,
        MoneyError,
        PluginError,
        PolicyDataError,
        TuoyuError,
        UnknownJurisdiction,
        UnknownProgram,
    )
    from .core.loading import build_policy
    from .core.models import MODES, Designation, Facility, Mode
    from .core.money import CENT, DEFAULT_ROUNDING, parse_money
    from .core.parameters import ParameterUse
    from .core.policy import DesignationSpec, Outcome, Payer, Policy, Program, Rule
    from .core.reforms import Reform
    from .core.registry import (
        ENTRY_POINT_GROUP,
        chain,
        get_policy,
        list_jurisdictions,
        plugin_problems,
    )
    from .core.results import Assessment, Entitlement, Obligation, PayerTotal
    from .families import (
        AllianceCheck,
        Allowance,
        AllowanceYear,
        FamilyCost,
        FeeQuote,
        alliance_fee,
        alliance_price_check,
        childcare_allowance,
        family_monthly_cost,
        parent_fee,
    )
    from .io import (
        to_csv,
        to_dataframe,
        to_excel,
        write_csv,
    )
    from .io.schema import (
        model_names,
        schemas,
    )
    from .whatif import (
        Budget,
        Comparison,
        PinChoice,
        Pinned,
        Projection,
        RowError,
        budget,
        compare,
        pin,
        portfolio_budget,
        project,
        read_csv,
        read_jsonl,
        sweep,
    )

# Public name -> submodule. Nothing is imported until a name is first used, so `import tuoyu_rules` stays
# cheap (pydantic models and jurisdiction data load on first use).
_LAZY: dict[str, str] = {
    "tally_columns": "batch",
    "check_columns": "batch",
    "RuleCache": "batch",
    "assess_many": "batch",
    "tally": "batch",
    "merge_totals": "batch",
    "plugin_problems": "core.registry",
    "model_names": "io.schema",
    "schemas": "io.schema",
    "to_csv": "io",
    "write_csv": "io",
    "to_dataframe": "io",
    "to_excel": "io",
    "budget": "whatif",
    "portfolio_budget": "whatif",
    "Budget": "whatif",
    "read_csv": "whatif",
    "read_jsonl": "whatif",
    "RowError": "whatif",
    "project": "whatif",
    "Projection": "whatif",
    "pin": "whatif",
    "compare": "whatif",
    "sweep": "whatif",
    "Pinned": "whatif",
    "PinChoice": "whatif",
    "Comparison": "whatif",
    "AllianceCheck": "families",
    "Allowance": "families",
    "AllowanceYear": "families",
    "FamilyCost": "families",
    "FeeQuote": "families",
    "alliance_fee": "families",
    "alliance_price_check": "families",
    "childcare_allowance": "families",
    "family_monthly_cost": "families",
    "parent_fee": "families",
    "ComplianceReport": "compliance",
    "Finding": "compliance",
    "FindingOutcome": "compliance",
    "FINDING_OUTCOMES": "compliance",
    "UnionSpendingPlan": "compliance",
    "SpendingItem": "compliance",
    "SpendingCategory": "compliance",
    "Settlement": "compliance",
    "Payee": "compliance",
    "check_union_spending": "compliance",
    "ChildcareClass": "compliance",
    "ClassKind": "compliance",
    "StandardsInput": "compliance",
    "HangzhouReading": "compliance",
    "check_facility_standards": "compliance",
    "check_standards": "compliance",
    "HENAN_COLLEGE_AREA": "compliance",
    "HENAN_COLLEGE_MIN_AREA_PER_PLACE": "compliance",
    "GuidanceGap": "compliance",
    "health_guidance_gaps": "compliance",
    "check_health_guidance": "compliance",
    "chengdu_target_progress": "compliance",
    "CHENGDU_TARGET_DEADLINE": "compliance",
    "AmountOutsideRange": "core.errors",
    "AmountRange": "core.amounts",
    "Assessment": "core.results",
    "CENT": "core.money",
    "Citation": "core.citations",
    "Confidence": "core.citations",
    "DEFAULT_ROUNDING": "core.money",
    "Designation": "core.models",
    "DesignationSpec": "core.policy",
    "ENTRY_POINT_GROUP": "core.registry",
    "Entitlement": "core.results",
    "Facility": "core.models",
    "InvalidInput": "core.errors",
    "MODES": "core.models",
    "Mode": "core.models",
    "MoneyError": "core.errors",
    "Obligation": "core.results",
    "Outcome": "core.policy",
    "ParameterUse": "core.parameters",
    "Payer": "core.policy",
    "PayerTotal": "core.results",
    "PluginError": "core.errors",
    "Policy": "core.policy",
    "PolicyDataError": "core.errors",
    "Program": "core.policy",
    "Reform": "core.reforms",
    "Rule": "core.policy",
    "RuleContext": "core.context",
    "TuoyuError": "core.errors",
    "UnknownJurisdiction": "core.errors",
    "UnknownProgram": "core.errors",
    "assess": "core.engine",
    "build_policy": "core.loading",
    "chain": "core.registry",
    "get_policy": "core.registry",
    "list_jurisdictions": "core.registry",
    "parse_money": "core.money",
}

__version__ = "0.1.0"

__all__ = [
    "CENT",
    "CHENGDU_TARGET_DEADLINE",
    "DEFAULT_ROUNDING",
    "ENTRY_POINT_GROUP",
    "FINDING_OUTCOMES",
    "HENAN_COLLEGE_AREA",
    "HENAN_COLLEGE_MIN_AREA_PER_PLACE",
    "MODES",
    "AllianceCheck",
    "Allowance",
    "AllowanceYear",
    "AmountOutsideRange",
    "AmountRange",
    "Assessment",
    "Budget",
    "ChildcareClass",
    "Citation",
    "ClassKind",
    "Comparison",
    "ComplianceReport",
    "Confidence",
    "Designation",
    "DesignationSpec",
    "Entitlement",
    "Facility",
    "FamilyCost",
    "FeeQuote",
    "Finding",
    "FindingOutcome",
    "GuidanceGap",
    "HangzhouReading",
    "InvalidInput",
    "Mode",
    "MoneyError",
    "Obligation",
    "Outcome",
    "ParameterUse",
    "Payee",
    "Payer",
    "PayerTotal",
    "PinChoice",
    "Pinned",
    "PluginError",
    "Policy",
    "PolicyDataError",
    "Program",
    "Projection",
    "Reform",
    "RowError",
    "Rule",
    "RuleCache",
    "RuleContext",
    "Settlement",
    "SpendingCategory",
    "SpendingItem",
    "StandardsInput",
    "TuoyuError",
    "UnionSpendingPlan",
    "UnknownJurisdiction",
    "UnknownProgram",
    "__version__",
    "alliance_fee",
    "alliance_price_check",
    "assess",
    "assess_many",
    "budget",
    "build_policy",
    "chain",
    "check_columns",
    "check_facility_standards",
    "check_health_guidance",
    "check_standards",
    "check_union_spending",
    "chengdu_target_progress",
    "childcare_allowance",
    "compare",
    "family_monthly_cost",
    "get_policy",
    "health_guidance_gaps",
    "list_jurisdictions",
    "merge_totals",
    "model_names",
    "parent_fee",
    "parse_money",
    "pin",
    "plugin_problems",
    "portfolio_budget",
    "project",
    "read_csv",
    "read_jsonl",
    "schemas",
    "sweep",
    "tally",
    "tally_columns",
    "to_csv",
    "to_dataframe",
    "to_excel",
    "write_csv",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tuoyu_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
