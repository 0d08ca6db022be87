"""tuoyu_rules: Chinese employer-childcare policy (用人单位托育服务) as exact, cited, testable code.

>>> import datetime as dt
>>> import tuoyu_rules as tr
>>> f = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
>>> a = tr.assess(f, on=dt.date(2024, 1, 1))
>>> a.entitlement("xiamen.construction_subsidy").amount.format()
'50,000.00 – 100,000.00 (50,000.00 / 80,000.00 / 100,000.00)'
"""

from __future__ import annotations

from .amounts import AmountRange
from .citations import Citation, Confidence
from .engine import assess
from .errors import (
    AmountOutsideRange,
    InvalidInput,
    MoneyError,
    PluginError,
    PolicyDataError,
    TuoyuError,
    UnknownJurisdiction,
    UnknownProgram,
)
from .models import MODES, Designation, Facility, Mode
from .money import CENT, DEFAULT_ROUNDING, money, parse_money
from .parameters import ParameterUse
from .policy import DesignationSpec, Payer, Policy, Program, RuleContext, build_policy
from .reforms import Reform
from .registry import ENTRY_POINT_GROUP, chain, get_policy, list_jurisdictions
from .results import Assessment, Entitlement, Obligation, PayerTotal

__version__ = "0.1.0"

__all__ = [
    "CENT",
    "DEFAULT_ROUNDING",
    "ENTRY_POINT_GROUP",
    "MODES",
    "AmountOutsideRange",
    "AmountRange",
    "Assessment",
    "Citation",
    "Confidence",
    "Designation",
    "DesignationSpec",
    "Entitlement",
    "Facility",
    "InvalidInput",
    "Mode",
    "MoneyError",
    "Obligation",
    "ParameterUse",
    "Payer",
    "PayerTotal",
    "PluginError",
    "Policy",
    "PolicyDataError",
    "Program",
    "Reform",
    "RuleContext",
    "TuoyuError",
    "UnknownJurisdiction",
    "UnknownProgram",
    "__version__",
    "assess",
    "build_policy",
    "chain",
    "get_policy",
    "list_jurisdictions",
    "money",
    "parse_money",
]
