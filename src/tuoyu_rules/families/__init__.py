"""What parents pay and receive: parent fees, the alliance price check, the national childcare allowance and
a family's net monthly cost.

Modules: :mod:`~tuoyu_rules.families.fees` (:func:`parent_fee`), :mod:`~tuoyu_rules.families.alliance`
(Hangzhou's same-price rule), :mod:`~tuoyu_rules.families.allowance` (the national 育儿补贴),
:mod:`~tuoyu_rules.families.claims` (the allowance's yearly claims),
:mod:`~tuoyu_rules.families.cost` (a family's net monthly cost) and :mod:`~tuoyu_rules.families.common`
(what they share). This ``__init__`` is the public list.

Every text of a result (``steps``, ``reasons``, a claim's ``notes``) is in the language asked (``lang="zh"`` or
``"en"``, English by default), with a parallel ``explanation``: each text's stable code (``families.<topic>.<what>``,
from ``messages.toml``), its parameters and both renderings.

What it may import: :mod:`tuoyu_rules.core` only.
"""

from __future__ import annotations

from .alliance import ALLIANCE_CITATION, ALLIANCE_PROGRAM, AllianceCheck, alliance_fee, alliance_price_check
from .allowance import ALLOWANCE_PROGRAM, Allowance, AllowanceYear, childcare_allowance
from .claims import AllowanceClaim
from .cost import FamilyCost, family_monthly_cost
from .fees import FeeQuote, parent_fee

__all__ = [
    "ALLIANCE_CITATION",
    "ALLIANCE_PROGRAM",
    "ALLOWANCE_PROGRAM",
    "AllianceCheck",
    "Allowance",
    "AllowanceClaim",
    "AllowanceYear",
    "FamilyCost",
    "FeeQuote",
    "alliance_fee",
    "alliance_price_check",
    "childcare_allowance",
    "family_monthly_cost",
    "parent_fee",
]
