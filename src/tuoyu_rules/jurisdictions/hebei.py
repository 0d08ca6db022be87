"""Hebei province (河北省): the layer above Qian'an (迁安市).

Its union (``hebei.union``, 河北省总工会) is the payer of the national caring-employer award's provincial
match (``cn.caring_employer_provincial_match``, payer ``{province}.union``) for facilities in its cities.

References: seed 000 ("省级工会进行不低于1:1的资金配套").

Limitations: no Hebei programme of its own is in the sources. Tangshan (唐山市), which administers the
county-level city of Qian'an, has no layer because no Tangshan rule is in the sources.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.loading import load_builtin
from ..core.policy import Policy, Rule

RULES: Mapping[str, Rule] = {}


def load() -> Policy:
    return load_builtin("hebei", RULES)
