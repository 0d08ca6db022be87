"""Fujian province (福建省): the layer above Xiamen.

Its union (``fujian.union``) is the payer of the national caring-employer award's provincial match for
facilities in its cities.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..policy import Policy, Rule, load_builtin

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("fujian", RULES)
