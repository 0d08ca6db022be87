"""Guangxi Zhuang Autonomous Region (广西壮族自治区): the province-level layer above Nanning.

Its union (``guangxi.union``) is the payer of the national caring-employer award's provincial match for
units in its cities (``{province}.union`` in ``cn.toml``).

References: seed 000, experience report of 广西壮族自治区南宁市卫生健康委.

Limitations: the sources state no Guangxi-wide programme or amount, so this layer has no rules of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.loading import load_builtin
from ..core.policy import Policy, Rule

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("guangxi", RULES)
