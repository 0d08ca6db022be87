"""The jurisdiction registry: ids to policies, loaded lazily on first use.

Built-in jurisdictions are listed here by id and module; nothing is imported or parsed until a policy is
asked for. Third-party packages add jurisdictions through the entry-point group
``tuoyu_rules.jurisdictions``: the entry point's name is the jurisdiction id and its object is a
:class:`~tuoyu_rules.policy.Policy` or a callable that returns one. A broken plugin is reported as a
:class:`~tuoyu_rules.errors.PluginError` naming it, and never affects the built-in jurisdictions.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from importlib import resources
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType

from .errors import PluginError, UnknownJurisdiction, UnknownProgram
from .policy import DesignationSpec, Policy

ENTRY_POINT_GROUP = "tuoyu_rules.jurisdictions"


@functools.cache
def _builtin() -> Mapping[str, str]:
    """Bundled ids -> modules: one ``data/<id>.toml`` and one ``jurisdictions/<id>.py`` each (names only)."""
    data = resources.files("tuoyu_rules.data")
    ids = sorted(
        entry.name.removesuffix(".toml")
        for entry in data.iterdir()
        if entry.name.endswith(".toml") and entry.name != "sources.toml"
    )
    return MappingProxyType({jid: f"tuoyu_rules.jurisdictions.{jid}" for jid in ids})


@functools.cache
def _plugins() -> Mapping[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _builtin() or ep.name in found:
            continue  # a plugin never shadows a built-in, and the first of two duplicates wins
        found[ep.name] = ep
    return MappingProxyType(found)


def builtin_jurisdictions() -> tuple[str, ...]:
    """Ids of the jurisdictions bundled with the library, sorted."""
    return tuple(sorted(_builtin()))


def list_jurisdictions() -> tuple[str, ...]:
    """Ids of every registered jurisdiction (bundled and plugin), sorted. Loads none of them."""
    return tuple(sorted({*_builtin(), *_plugins()}))


@functools.cache
def _load(jurisdiction_id: str) -> Policy:
    module_name = _builtin().get(jurisdiction_id)
    if module_name is not None:
        module = importlib.import_module(module_name)
        policy = module.load()
        if not isinstance(policy, Policy):  # pragma: no cover - a bundled module bug
            raise TypeError(f"{module_name}.load() returned {type(policy).__name__}")
        return policy
    ep = _plugins()[jurisdiction_id]
    try:
        obj = ep.load()
        policy = obj() if callable(obj) and not isinstance(obj, Policy) else obj
    except Exception as exc:
        raise PluginError(
            f"jurisdiction plugin {jurisdiction_id!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(policy, Policy):
        raise PluginError(
            f"jurisdiction plugin {jurisdiction_id!r} ({ep.value}) gave a {type(policy).__name__}, not a Policy"
        )
    if policy.id != jurisdiction_id:
        raise PluginError(f"jurisdiction plugin {jurisdiction_id!r} ({ep.value}) declares the id {policy.id!r}")
    return policy


def get_policy(jurisdiction_id: str) -> Policy:
    """The policy of a jurisdiction. An unknown id raises :class:`UnknownJurisdiction` listing the known ids."""
    if not isinstance(jurisdiction_id, str) or (
        jurisdiction_id not in _builtin() and jurisdiction_id not in _plugins()
    ):
        raise UnknownJurisdiction(jurisdiction_id, list_jurisdictions())
    return _load(jurisdiction_id)


def chain(jurisdiction_id: str) -> tuple[Policy, ...]:
    """The jurisdiction and every layer above it, nearest first: ``(xiamen, fujian, cn)``."""
    layers: list[Policy] = []
    current: str | None = jurisdiction_id
    while current is not None:
        policy = get_policy(current)
        if any(p.id == policy.id for p in layers):
            raise PluginError(f"jurisdiction {jurisdiction_id!r}: its parents form a cycle at {policy.id!r}")
        layers.append(policy)
        current = policy.parent
    return tuple(layers)


def find_designation(designation_id: str) -> tuple[Policy, DesignationSpec]:
    """The jurisdiction and spec of a designation id such as ``weifang.caring_employer``."""
    prefix = designation_id.split(".", 1)[0] if isinstance(designation_id, str) else ""
    if prefix in list_jurisdictions():
        policy = get_policy(prefix)
        spec = policy.designation(designation_id)
        if spec is not None:
            return policy, spec
    raise UnknownProgram("designation", designation_id, known_designations())


def known_designations() -> tuple[str, ...]:
    """Every designation id of the bundled jurisdictions (loads them)."""
    ids: list[str] = []
    for jid in builtin_jurisdictions():
        ids.extend(d.id for d in _load(jid).designations)
    return tuple(sorted(ids))
