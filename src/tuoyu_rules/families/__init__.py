"""What parents pay and receive: parent fees, the alliance price check, the national childcare allowance and
a family's net monthly cost.

What it may import: :mod:`tuoyu_rules.core` only.
"""

from __future__ import annotations

from .fees import (
    ALLIANCE_CITATION,
    ALLIANCE_PROGRAM,
    ALLOWANCE_PROGRAM,
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

__all__ = [
    "ALLIANCE_CITATION",
    "ALLIANCE_PROGRAM",
    "ALLOWANCE_PROGRAM",
    "AllianceCheck",
    "Allowance",
    "AllowanceYear",
    "FamilyCost",
    "FeeQuote",
    "alliance_fee",
    "alliance_price_check",
    "childcare_allowance",
    "family_monthly_cost",
    "parent_fee",
]
