"""Nanning (南宁市), Guangxi: employer childcare as reported by the Nanning Health Commission.

References: seed 000, 广西壮族自治区南宁市卫生健康委: employers provide premises free (无偿提供托育场所);
11 employer 普惠 facilities; national funds of 50 million and 71.57 million yuan for projects.

Limitations: no per-unit subsidy or formula is stated, so Nanning has no money-bearing programme and no rule
function; its programmes are declared in ``jurisdictions/nanning.toml`` as conditions with their clauses. A Nanning
facility still gets the national layer, and Guangxi's union pays the national award's provincial match.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.loading import load_builtin
from ..core.policy import Policy, Rule

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("nanning", RULES)
