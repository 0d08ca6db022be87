"""Shandong province (山东省): the layer above Weifang.

Its union (``shandong.union``) is the payer of the national caring-employer award's provincial match for
facilities in its cities (``cn.caring_employer_provincial_match`` resolves ``{province}.union``). The seeds
state no programme of Shandong's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.loading import load_builtin
from ..core.policy import Policy, Rule

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("shandong", RULES)
