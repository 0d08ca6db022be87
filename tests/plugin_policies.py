"""Made-up jurisdiction plugins built in a test with ``tr.build_policy`` (``from plugin_policies import ...``).

:func:`plugin_data` writes the data mapping of a plugin layer (what a TOML file parses to) and
:func:`serve_plugins` hands zero-argument factories to the registry as entry points, through its seam
``registry._entry_points`` and a throw-away module in ``sys.modules``: nothing is installed. Call
``registry._reset()`` when the test ends (the fixtures that use it do).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from importlib.metadata import EntryPoint
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import registry

MODULE = "tuoyu_test_made_up_plugins"


def plugin_data(
    jid: str,
    *,
    code: str,
    level: str = "city",
    parent: str | None = "fujian",
    programs: dict[str, dict[str, Any]] | None = None,
    parameters: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A plugin layer's data: its identity, one source, a union payer ``<jid>.union``, a citation
    ``<jid>.notice``; each programme is paid by the union and cites the notice unless it says otherwise."""
    data: dict[str, Any] = {
        "jurisdiction": {
            "id": jid,
            "name_zh": "测试地",
            "name_en": jid.title(),
            "level": level,
            "parent": parent,
            "division_code": code,
        },
        "sources": {"notice": {"document": "notice.txt", "title": "通知", "confidence": "official"}},
    }
    if programs:
        data["payers"] = {f"{jid}.union": {"name_zh": "总工会", "name_en": "Union"}}
        data["citations"] = {f"{jid}.notice": {"source": "notice", "clause": "第一条", "quote": "给予补助"}}
        data["programs"] = {
            pid: {"kind": "entitlement", "payer": f"{jid}.union", "cite": [f"{jid}.notice"], **spec}
            for pid, spec in programs.items()
        }
    if parameters:
        data["parameters"] = parameters
    return data


def serve_plugins(monkeypatch: pytest.MonkeyPatch, **factories: Callable[[], tr.Policy]) -> None:
    """Make the registry see one entry point ``name = tuoyu_test_made_up_plugins:name`` per factory."""
    module = sys.modules.get(MODULE)
    if module is None:
        module = types.ModuleType(MODULE)
        monkeypatch.setitem(sys.modules, MODULE, module)
    for name, factory in factories.items():
        monkeypatch.setattr(module, name, factory, raising=False)
    points = [EntryPoint(name=name, value=f"{MODULE}:{name}", group=tr.ENTRY_POINT_GROUP) for name in factories]
    seen = registry._entry_points()
    monkeypatch.setattr(registry, "_entry_points", lambda: [*seen, *points])
    registry._reset()
