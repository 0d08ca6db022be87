"""Broken tuoyu_rules jurisdiction plugins: one object per failure mode the registry must report.

Every policy here is built from the good plugin's data with one thing changed, so each object is wrong in
exactly one way.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any, NoReturn

import tuoyu_rules as tr

NOT_A_POLICY = 42


def _renamed(value: Any, jid: str) -> Any:
    if isinstance(value, str):
        return value.replace("testville", jid)
    if isinstance(value, dict):
        return {_renamed(k, jid): _renamed(v, jid) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, jid) for v in value]
    return value


def _data(jid: str, **jurisdiction: Any) -> dict[str, Any]:
    """The good plugin's data renamed to ``jid`` (every id prefix follows), with jurisdiction overrides."""
    from tuoyu_good_plugin import DATA

    data: dict[str, Any] = _renamed(DATA, jid)
    data["jurisdiction"].update(jurisdiction)
    return data


def _rules(jid: str) -> dict[str, Any]:
    from tuoyu_good_plugin import RULES

    return {name.replace("testville", jid): rule for name, rule in RULES.items()}


def _build(jid: str, **jurisdiction: Any) -> tr.Policy:
    return tr.build_policy(_data(jid, **jurisdiction), _rules(jid), origin=f"tuoyu_bad_plugin:{jid}")


def returns_none() -> None:
    return None


def raises() -> NoReturn:
    raise RuntimeError("database of subsidies unreachable")


def exits() -> NoReturn:
    sys.exit(3)


def wrong_id() -> tr.Policy:
    """Registered as ``wrongid`` but declares ``otherville``."""
    return _build("otherville")


def orphan() -> tr.Policy:
    """A city whose parent is not a registered jurisdiction."""
    return _build("orphan", parent="atlantis")


def foreign_ids() -> tr.Policy:
    """A policy whose programme claims another jurisdiction's id (it would overwrite Xiamen's entry)."""
    policy = _build("foreignids")
    hijacked = dataclasses.replace(policy.programs[0], id="xiamen.construction_subsidy")
    return dataclasses.replace(policy, programs=(hijacked, *policy.programs[1:]))


def no_rule() -> tr.Policy:
    """A money-bearing programme without a rule function (built by hand, past build_policy's check)."""
    policy = _build("norule")
    ruleless = dataclasses.replace(policy.programs[0], rule=None)
    return dataclasses.replace(policy, programs=(ruleless, *policy.programs[1:]))


def upside_down() -> tr.Policy:
    """A province whose parent is a city: the layers are upside down."""
    return _build("upsidedown", level="province", parent="xiamen")


def shadow_xiamen() -> tr.Policy:
    """Claims the built-in id ``xiamen``: it must be ignored, never replace the built-in."""
    return _build("xiamen")
