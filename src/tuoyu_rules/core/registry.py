"""The jurisdiction registry: ids to policies, loaded lazily on first use.

Built-in jurisdictions are discovered from the data folder (one ``jurisdictions/<id>.toml`` each, and a
``jurisdictions/<id>.py`` of rule functions when it has programmes that bear money; a data-only jurisdiction,
such as a province that is there as a layer and a payer, has no module); nothing is imported or parsed until a
policy is asked for. A facility's place may also be given as a GB/T 2260 division code
(:func:`resolve_jurisdiction`). Third-party packages add jurisdictions through the entry-point group
``tuoyu_rules.jurisdictions``: the entry point's name is the jurisdiction id and its object is a
:class:`~tuoyu_rules.core.policy.Policy` or a zero-argument callable that returns one.

A broken plugin never affects the built-in jurisdictions:

* problems found when the entry points are listed (a name that is not a valid id, a name that two
  distributions claim, a name that shadows a built-in) keep the plugin out of :func:`list_jurisdictions`;
  asking for such an id raises :class:`~tuoyu_rules.core.errors.PluginError` (a built-in's id still gives the
  built-in);
* problems found when the plugin loads (an import error, an exception in its factory, an object that is not
  a Policy, an id that differs from the entry point's name, an unknown parent, a programme without a rule)
  raise :class:`~tuoyu_rules.core.errors.PluginError` when that jurisdiction is asked for.

Every such error names the entry point (``name = value``). :func:`plugin_problems` lists the problems
found when listing, for a host that wants to log them.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType

from .digest import builtin_digest, chain_version, plugin_digest
from .errors import InvalidInput, PluginError, PolicyDataError, UnknownJurisdiction, UnknownProgram
from .loading import load_builtin
from .money import in_money_context
from .policy import LEVELS, DesignationSpec, Policy

ENTRY_POINT_GROUP = "tuoyu_rules.jurisdictions"

_VALID_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
"""A jurisdiction id: lower-case ASCII letters, digits and underscores, starting with a letter (no dots:
the id is the prefix of every programme, payer and designation id)."""

_MESSAGE_LIMIT = 300


def _entry_points() -> Iterable[EntryPoint]:
    """The installed entry points of the plugin group (a seam the tests replace)."""
    return entry_points(group=ENTRY_POINT_GROUP)


@functools.cache
def _builtin() -> Mapping[str, str | None]:
    """Bundled ids -> modules: one ``jurisdictions/<id>.toml`` each, and its ``jurisdictions/<id>.py`` if there is
    one (None: a data-only jurisdiction, loaded with no rules). Names only: nothing is imported."""
    names = {entry.name for entry in resources.files("tuoyu_rules.jurisdictions").iterdir()}
    ids = sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml") and n != "sources.toml")
    return MappingProxyType({jid: f"tuoyu_rules.jurisdictions.{jid}" if f"{jid}.py" in names else None for jid in ids})


@dataclass(frozen=True)
class _Discovery:
    plugins: Mapping[str, EntryPoint]
    """Plugins that passed the listing checks: registered, loaded on request."""
    rejected: Mapping[str, PluginError]
    """Entry-point names refused when listing (not registered); asking for one raises its error."""
    problems: tuple[PluginError, ...]
    """Every problem found when listing, in entry-point order (including plugins that shadow a built-in)."""


def _describe(ep: EntryPoint) -> str:
    return f"{ep.name} = {ep.value}"


def _cut(text: str) -> str:
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


@functools.cache
def _discover() -> _Discovery:
    problems: list[PluginError] = []
    try:
        eps = list(_entry_points())
    except Exception as exc:  # malformed installed metadata must not break the built-ins
        problem = PluginError(
            f"could not list the {ENTRY_POINT_GROUP!r} entry points: {type(exc).__name__}: {_cut(str(exc))}; "
            "no jurisdiction plugin is loaded",
        )
        return _Discovery(MappingProxyType({}), MappingProxyType({}), (problem,))
    claims: dict[str, list[EntryPoint]] = {}
    for ep in eps:
        same = claims.setdefault(ep.name, [])
        if all(other.value != ep.value for other in same):  # one distribution seen twice on the path is one
            same.append(ep)
    builtin = _builtin()
    found: dict[str, EntryPoint] = {}
    rejected: dict[str, PluginError] = {}
    for name, claimants in claims.items():
        described = "; ".join(_describe(ep) for ep in claimants)
        values = ", ".join(ep.value for ep in claimants)
        if name in builtin:
            problems.append(
                PluginError(
                    f"jurisdiction plugin ({described}) claims the id of the built-in jurisdiction {name!r}; "
                    "a plugin never replaces a built-in: the plugin is ignored",
                    plugin=name,
                    value=values,
                )
            )
            continue
        if not _VALID_ID.match(name):
            error = PluginError(
                f"jurisdiction plugin ({described}): the entry point name {_cut(repr(name))} is not a valid "
                "jurisdiction id (lower-case letters, digits and '_', starting with a letter)",
                plugin=name,
                value=values,
            )
        elif len(claimants) > 1:
            error = PluginError(
                f"jurisdiction plugin {name!r} is claimed by {len(claimants)} entry points ({described}); "
                "uninstall all but one",
                plugin=name,
                value=values,
            )
        else:
            found[name] = claimants[0]
            continue
        problems.append(error)
        rejected[name] = error
    return _Discovery(MappingProxyType(found), MappingProxyType(rejected), tuple(problems))


def _plugins() -> Mapping[str, EntryPoint]:
    return _discover().plugins


def plugin_problems() -> tuple[PluginError, ...]:
    """Problems found while listing the jurisdiction plugins (empty when all is well). Loads no plugin."""
    return _discover().problems


def is_builtin(jurisdiction_id: str) -> bool:
    """Whether ``jurisdiction_id`` is bundled with the library (not a plugin's)."""
    return jurisdiction_id in _builtin()


def builtin_jurisdictions() -> tuple[str, ...]:
    """Ids of the jurisdictions bundled with the library, sorted."""
    return tuple(sorted(_builtin()))


def list_jurisdictions() -> tuple[str, ...]:
    """Ids of every registered jurisdiction (bundled and plugin), sorted. Loads none of them."""
    return tuple(sorted({*_builtin(), *_plugins()}))


@functools.cache
@in_money_context  # a policy is built in the library's decimal context, whatever the caller's
def _load(jurisdiction_id: str) -> Policy:
    builtin = _builtin()
    if jurisdiction_id in builtin:
        return _load_builtin(jurisdiction_id, builtin[jurisdiction_id])
    return _load_plugin(jurisdiction_id, _plugins()[jurisdiction_id])


def _load_builtin(jurisdiction_id: str, module_name: str | None) -> Policy:
    """A bundled jurisdiction: its module's ``load()``, or its data file alone (no rules) when it has no module."""
    if module_name is None:
        return load_builtin(jurisdiction_id, {})  # a programme that bears money without a rule is refused there
    where = f"built-in jurisdiction {jurisdiction_id!r} (jurisdictions/{jurisdiction_id}.toml, {module_name})"
    try:
        module = importlib.import_module(module_name)
        policy = module.load()
    except PolicyDataError:
        raise
    except Exception as exc:  # a packaging bug (data file without its module, say): say where, keep the cause
        raise PolicyDataError(f"{where} failed to load: {type(exc).__name__}: {_cut(str(exc))}") from exc
    if not isinstance(policy, Policy):
        raise PolicyDataError(f"{where}: load() returned a {type(policy).__name__}, not a Policy")
    if policy.id != jurisdiction_id:
        raise PolicyDataError(f"{where}: load() returned the policy of {policy.id!r}")
    return policy


def _load_plugin(jurisdiction_id: str, ep: EntryPoint) -> Policy:
    def fail(problem: str) -> PluginError:
        return PluginError(
            f"jurisdiction plugin {jurisdiction_id!r} ({ep.value}) {problem}", plugin=jurisdiction_id, value=ep.value
        )

    try:
        obj = ep.load()
    except (Exception, SystemExit) as exc:
        raise fail(f"failed to import: {type(exc).__name__}: {_cut(str(exc))}") from exc
    if isinstance(obj, Policy):
        policy: object = obj
    elif callable(obj):
        try:
            policy = obj()
        except (Exception, SystemExit) as exc:
            raise fail(f"failed to build its policy: {type(exc).__name__}: {_cut(str(exc))}") from exc
    else:
        raise fail(f"is a {type(obj).__name__}, not a Policy or a zero-argument callable returning one")
    if not isinstance(policy, Policy):
        raise fail(f"gave a {type(policy).__name__}, not a tuoyu_rules.Policy")
    if policy.id != jurisdiction_id:
        raise fail(f"declares the id {_cut(repr(policy.id))}; the entry point name and the policy id must agree")
    if policy.level not in LEVELS:
        raise fail(f"declares the level {_cut(repr(policy.level))}, not one of {', '.join(LEVELS)}")
    if (policy.parent is None) != (policy.level == "national"):
        raise fail("must name a parent jurisdiction (every level but national has one)")
    if policy.parent is not None and policy.parent not in list_jurisdictions():
        raise fail(f"names the parent {_cut(repr(policy.parent))}, which is not a registered jurisdiction")
    prefix = f"{jurisdiction_id}."
    own_ids = (
        *(("programme", p.id) for p in policy.programs),
        *(("designation", d.id) for d in policy.designations),
        *(("payer", pid) for pid in policy.payers),
        *(("citation", cid) for cid in policy.citations),
    )
    for what, own_id in own_ids:
        if not isinstance(own_id, str) or not own_id.startswith(prefix):
            raise fail(f"declares the {what} id {_cut(repr(own_id))}; its ids must start with {prefix!r}")
    for program in policy.programs:
        if program.kind in ("entitlement", "obligation") and program.rule is None:
            raise fail(f"declares the money-bearing programme {program.id!r} without a rule")
    return policy


def get_policy(jurisdiction_id: str) -> Policy:
    """The policy of a jurisdiction. An unknown id raises :class:`UnknownJurisdiction` listing the known ids.

    A built-in that fails to load raises :class:`~tuoyu_rules.core.errors.PolicyDataError`; a plugin that fails
    raises :class:`~tuoyu_rules.core.errors.PluginError` naming its entry point.
    """
    if isinstance(jurisdiction_id, str):
        if jurisdiction_id in _builtin() or jurisdiction_id in _plugins():
            return _load(jurisdiction_id)
        rejected = _discover().rejected.get(jurisdiction_id)
        if rejected is not None:
            raise rejected
    raise UnknownJurisdiction(jurisdiction_id, list_jurisdictions())


def chain(jurisdiction_id: str) -> tuple[Policy, ...]:
    """The jurisdiction and every layer above it, nearest first: ``(xiamen, fujian, cn)``.

    ``jurisdiction_id`` may also be a GB/T 2260 division code (:func:`resolve_jurisdiction`): ``chain("420100")``
    is ``(hubei, cn)``. Each parent must sit at a higher level than its child (a district under a city, a city
    under a province or the nation) and the parents must not form a cycle.
    """
    layers: list[Policy] = []
    current: str | None = resolve_jurisdiction(jurisdiction_id)
    while current is not None:
        policy = get_policy(current)
        if any(p.id == policy.id for p in layers):
            raise _layer_error(layers[-1], f"its parents form a cycle at {policy.id!r} (from {jurisdiction_id!r})")
        if layers and LEVELS.index(policy.level) >= LEVELS.index(layers[-1].level):
            child = layers[-1]
            raise _layer_error(
                child, f"a {child.level} cannot sit under {policy.id!r}, a {policy.level} (from {jurisdiction_id!r})"
            )
        layers.append(policy)
        current = policy.parent
    return tuple(layers)


_DIVISION_CODE = re.compile(r"[0-9]{6}\Z")
"""A GB/T 2260 division code: six ASCII digits (province 2, city 2, county or district 2)."""


@functools.cache
def _division_codes() -> Mapping[str, str]:
    """GB/T 2260 code -> id of every registered layer below the nation (built-ins first; loads them all).

    A plugin that fails to load is left out (asking for it by id says why); of two layers with one code, the
    built-in (or the first id) is kept."""
    codes: dict[str, str] = {}
    for jid in (*builtin_jurisdictions(), *sorted(_plugins())):
        try:
            policy = get_policy(jid)
        except PluginError:
            continue
        if policy.level != "national":
            codes.setdefault(policy.division_code, jid)
    return MappingProxyType(codes)


def resolve_jurisdiction(text: str) -> str:
    """The jurisdiction id that ``text`` names: a registered id as it is, or a 6-digit GB/T 2260 division code.

    A code resolves to the most specific registered layer whose ``division_code`` it falls under: the code
    itself (a district or county-level unit), else its city (first 4 digits + ``00``), else its province (first
    2 + ``0000``). ``"350203"`` is ``siming``, ``"350200"`` ``xiamen``, ``"420100"`` (Wuhan, no layer of its own)
    ``hubei``. The library holds no full GB/T 2260 table: a code is checked by its form and its prefixes only.

    >>> resolve_jurisdiction("350206"), resolve_jurisdiction("xiamen")
    ('xiamen', 'xiamen')

    :raises InvalidInput: a string of digits that is not a well-formed 6-digit code, or a code under no
        registered layer (field ``jurisdiction``).
    :raises UnknownJurisdiction: anything else that is not a registered id.
    """
    if isinstance(text, str) and text.isascii() and text.isdigit():
        if not _DIVISION_CODE.match(text) or (text[2:4] == "00" and text[4:] != "00"):
            problem = (
                "{value} is not a GB/T 2260 division code (six digits: province, city, county; a code with 00 as its "
                "city digits is a province's and ends in 0000)"
            )
            raise InvalidInput.coded("jurisdiction", "error.place.bad_code", problem, value=_cut(repr(text)))
        codes = _division_codes()
        candidates = tuple(dict.fromkeys((text, f"{text[:4]}00", f"{text[:2]}0000")))  # district, city, province
        for candidate in candidates:
            found = codes.get(candidate)
            if found is not None:
                return found
        problem = (
            "the GB/T 2260 division code {code} is under no registered jurisdiction (no layer has any of the codes "
            "{candidates})"
        )
        raise InvalidInput.coded(
            "jurisdiction", "error.place.no_layer", problem, code=repr(text), candidates=", ".join(candidates)
        )
    return get_policy(text).id  # an unknown id raises UnknownJurisdiction (or the PluginError of a rejected one)


def _layer_error(child: Policy, problem: str) -> PluginError | PolicyDataError:
    ep = _plugins().get(child.id)
    if ep is None:
        return PolicyDataError(f"built-in jurisdiction {child.id!r} (jurisdictions/{child.id}.toml): {problem}")
    return PluginError(f"jurisdiction plugin {child.id!r} ({ep.value}): {problem}", plugin=child.id, value=ep.value)


def find_designation(designation_id: str) -> tuple[Policy, DesignationSpec]:
    """The jurisdiction and spec of a designation id such as ``weifang.caring_employer``."""
    prefix = designation_id.split(".", 1)[0] if isinstance(designation_id, str) else ""
    if prefix in _builtin() or prefix in _plugins():  # list_jurisdictions() without building a sorted tuple
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


@functools.cache
def _layer_digest(jurisdiction_id: str) -> str:
    """The digest of a loaded layer (:mod:`~tuoyu_rules.core.digest`), computed once, kept beside its policy."""
    policy = _load(jurisdiction_id)
    builtin = _builtin()
    if jurisdiction_id in builtin:
        return builtin_digest(jurisdiction_id, builtin[jurisdiction_id] is not None)
    dist = getattr(_plugins()[jurisdiction_id], "dist", None)
    return plugin_digest(policy, None if dist is None else f"{dist.name}=={dist.version}")


@functools.cache
def rules_version(jurisdiction_id: str) -> str:
    """The rules version of the chain of ``jurisdiction_id`` (a registered id): the package version and a digest
    of every layer's rules data, ``"0.1.0+rules.<16 hex digits>"`` (see :mod:`~tuoyu_rules.core.digest`).
    Computed once per chain and kept, like the policies."""
    return chain_version((layer.id, _layer_digest(layer.id)) for layer in chain(jurisdiction_id))


def _reset() -> None:
    """Forget every cached discovery and policy (tests that fake entry points or data call this)."""
    _discover.cache_clear()
    _load.cache_clear()
    _layer_digest.cache_clear()
    rules_version.cache_clear()
    _builtin.cache_clear()
    _division_codes.cache_clear()
