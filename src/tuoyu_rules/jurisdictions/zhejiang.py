"""Zhejiang province (浙江省): the layer above Hangzhou.

Its union (``zhejiang.union``) is the payer of the national caring-employer award's provincial match for
facilities in its cities (``cn.caring_employer_provincial_match`` resolves ``{province}.union``). The seed's
Zhejiang report (57 employer facilities built to standard) is context, not a rule.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.loading import load_builtin
from ..core.policy import Policy, Rule

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("zhejiang", RULES)
