"""Loading: a jurisdiction's data file read, validated and joined with its rule functions into a Policy.

:func:`build_policy` turns parsed TOML (or the same shape as a dict, for a plugin) and a ``RULES`` mapping
into a :class:`~tuoyu_rules.core.policy.Policy`, checking every entry and naming the one at fault in a
:class:`~tuoyu_rules.core.errors.PolicyDataError`. :func:`load_builtin` does it for a bundled jurisdiction
(``jurisdictions/<id>.toml``), with the source documents of ``jurisdictions/sources.toml``
(:func:`builtin_sources`), whose entries each citation names.

Joint payers: a sum two (or more) bodies pay together with no published split has one payer id, the parts'
ids joined by ``+`` (``cn.acftu+fujian.union``; :func:`payer_parts`). When the data loads, each part must be
a payer id (``<jurisdiction>.<body>``, a ``{province}``-style placeholder allowed) and a part of the
jurisdiction's own must be declared in its ``[payers]``; when a facility is assessed, :func:`joint_payers`
checks that every part is declared by a layer of the chain.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

from pydantic import ValidationError

from .citations import Citation
from .errors import PolicyDataError
from .messages import parse_catalog
from .money import in_money_context
from .parameters import Parameter, one_line, parse_parameter
from .policy import (
    BASES,
    LEVELS,
    PROGRAM_KINDS,
    Basis,
    DesignationSpec,
    Level,
    Payer,
    Policy,
    Program,
    ProgramKind,
    Rule,
)
from .zh_texts import parameter_zh, source_texts_zh, without_zh, zh_list, zh_text


def _str(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PolicyDataError(f"{where}.{key}: required text")
    return value


def _strs(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyDataError(f"{where}.{key}: a list of strings")
    return tuple(value)


JOINT = "+"
"""Joins the payer ids of a joint payer: ``cn.acftu+fujian.union``."""


def payer_parts(payer_id: str) -> tuple[str, ...]:
    """The payer ids a payer id names: its parts for a joint payer (``cn.acftu+fujian.union``), else itself."""
    return tuple(payer_id.split(JOINT))


def _check_payer_id(payer_id: str, jid: str, payers: Mapping[str, Payer], where: str) -> None:
    """Check a programme's payer id when the data loads: each part a ``<jurisdiction>.<body>`` id (or a
    ``{level}.<body>`` placeholder), no part twice, and a part of this jurisdiction's own declared here."""
    parts = payer_parts(payer_id)
    for part in parts:
        owner, dot, body = part.partition(".")
        if not (owner and dot and body) or any(c.isspace() for c in part):
            raise PolicyDataError(
                f"{where}.payer: {part!r} is not a payer id <jurisdiction>.<body>"
                + (f" (joint payers join ids with {JOINT!r})" if len(parts) > 1 else "")
            )
        if owner == jid and part not in payers:
            raise PolicyDataError(f"{where}.payer: {part!r} is not declared in [payers]")
    if len(set(parts)) != len(parts):
        raise PolicyDataError(f"{where}.payer: {payer_id!r} names a payer twice")


def joint_payers(payer_id: str, layers: Sequence[Policy]) -> tuple[Payer, ...] | None:
    """The declared payer of each part of a joint payer id, looked up in ``layers`` (the chain assessed).

    None for a single payer id (its names are looked up as they always were). A part that no layer declares,
    an empty part or a part named twice raises :class:`PolicyDataError` naming the part: a joint payer is
    never shown with a body nobody declared.
    """
    parts = payer_parts(payer_id)
    if len(parts) == 1:
        return None
    if len(set(parts)) != len(parts):
        raise PolicyDataError(f"joint payer {payer_id!r} names a payer twice")
    found: list[Payer] = []
    for part in parts:
        payer = next((layer.payers[part] for layer in layers if part in layer.payers), None)
        if payer is None:
            chain = ", ".join(layer.id for layer in layers)
            raise PolicyDataError(
                f"joint payer {payer_id!r}: {part!r} is not a payer declared by a layer of the chain ({chain})"
            )
        found.append(payer)
    return tuple(found)


def _load_toml(package: str, name: str) -> dict[str, Any]:
    try:
        text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyDataError(f"data file {name!r} is missing from {package}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyDataError(f"{name}: {exc}") from None


@functools.cache
def builtin_sources() -> Mapping[str, Any]:
    """The bundled source documents (seed files and refinement sources), read once on first use."""
    sources = _load_toml("tuoyu_rules.jurisdictions", "sources.toml").get("sources", {})
    return MappingProxyType(sources)


def _citation(cid: str, raw: Mapping[str, Any], sources: Mapping[str, Any], where: str) -> Citation:
    """A citation of a declared source. Its ``source`` is the document's name as a reader knows it (the source's
    ``document``, else its ``title``): never the source's id nor its ``file`` (a seed file, for maintainers)."""
    src_id = _str(raw, "source", where)
    assert src_id is not None
    src = sources.get(src_id)
    if not isinstance(src, dict):
        raise PolicyDataError(f"{where}.source: unknown source {src_id!r}")
    unknown = set(raw) - {"source", "clause", "quote", "summary", "clause_zh", "summary_zh"}
    if unknown:
        raise PolicyDataError(f"{where}: unknown keys {sorted(unknown)}")
    try:
        return Citation(
            id=cid,
            source=src.get("document") or src.get("title", ""),
            title=src.get("title", ""),
            issuer=src.get("issuer"),
            published=src.get("published"),
            where=src.get("where"),
            number=src.get("number"),
            url=src.get("url"),
            confidence=src.get("confidence", ""),
            clause=raw.get("clause", ""),
            quote=raw.get("quote"),
            summary=raw.get("summary"),
            **source_texts_zh(src, f"sources.{src_id}"),
            clause_zh=zh_text(raw, "clause", where),
            summary_zh=zh_text(raw, "summary", where),
        )
    except ValidationError as exc:
        raise PolicyDataError(f"{where}: {one_line(exc)}") from None


@in_money_context
def build_policy(
    data: Mapping[str, Any],
    rules: Mapping[str, Rule],
    *,
    sources: Mapping[str, Any] | None = None,
    origin: str = "data",
) -> Policy:
    """Build a :class:`Policy` from parsed TOML ``data`` and the module's ``rules``; validate everything.

    ``sources`` adds source documents to those the data file declares itself (built-ins share
    ``jurisdictions/sources.toml``). Every problem raises :class:`PolicyDataError` naming ``origin`` and the entry.
    """
    try:
        return _build(data, rules, sources or {}, origin)
    except PolicyDataError as exc:
        if str(exc).startswith(origin):
            raise
        raise PolicyDataError(f"{origin}: {exc}") from None


def _tables(data: Mapping[str, Any], key: str) -> dict[str, dict[str, Any]]:
    """``data[key]`` as a mapping of id -> table, or a PolicyDataError naming what is wrong."""
    raw = data.get(key, {})
    if not isinstance(raw, Mapping):
        raise PolicyDataError(f"{key}: a table of [{key}.<id>] tables, not {type(raw).__name__}")
    for entry_id, entry in raw.items():
        if not isinstance(entry, Mapping):
            raise PolicyDataError(f"{key}.{entry_id}: a table, not {type(entry).__name__}")
    return dict(raw)


def _build(data: Mapping[str, Any], rules: Mapping[str, Rule], sources: Mapping[str, Any], origin: str) -> Policy:
    if not isinstance(data, Mapping):
        raise PolicyDataError(f"the data is a {type(data).__name__}, not a table of tables (parsed TOML)")
    if not isinstance(rules, Mapping):
        raise PolicyDataError(f"rules: a mapping of programme id to rule function, not {type(rules).__name__}")
    j = data.get("jurisdiction")
    if not isinstance(j, dict):
        raise PolicyDataError("needs a [jurisdiction] table")
    jid = _str(j, "id", "jurisdiction")
    assert jid is not None
    level = j.get("level")
    if level not in LEVELS:
        raise PolicyDataError(f"jurisdiction.level: {level!r} is not one of {', '.join(LEVELS)}")
    parent = j.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise PolicyDataError("jurisdiction.parent: an id or absent")
    if (parent is None) != (level == "national"):
        raise PolicyDataError("jurisdiction.parent: every level but national has a parent")
    code = _str(j, "division_code", "jurisdiction")
    if code is None or not (code.isdigit() and len(code) == 6):
        raise PolicyDataError("jurisdiction.division_code: six digits (GB/T 2260)")

    all_sources = {**sources, **_tables(data, "sources")}
    citations: dict[str, Citation] = {}
    for cid, raw in _tables(data, "citations").items():
        if not cid.startswith(f"{jid}."):
            raise PolicyDataError(f"citations.{cid}: citation ids start with {jid!r}.")
        citations[cid] = _citation(cid, raw, all_sources, f"citations.{cid}")
    cite_ids = frozenset(citations)

    payers: dict[str, Payer] = {}
    for pid, raw in _tables(data, "payers").items():
        if not pid.startswith(f"{jid}."):
            raise PolicyDataError(f"payers.{pid}: payer ids start with {jid!r}.")
        payers[pid] = Payer(
            pid, _str(raw, "name_zh", f"payers.{pid}") or "", _str(raw, "name_en", f"payers.{pid}") or ""
        )

    parameters: dict[str, Parameter] = {}
    for name, raw in _tables(data, "parameters").items():
        parameters[name] = parameter_zh(parse_parameter(name, without_zh(raw), cite_ids), raw, f"parameters.{name}")

    programs: list[Program] = []
    for prog_id, raw in _tables(data, "programs").items():
        where = f"programs.{prog_id}"
        # A district's programme may carry its city's prefix where the sources treat it as the city's
        # (Xiamen's Siming district allowance is xiamen.siming_allowance in the digest).
        prefixes = (f"{jid}.", f"{parent}.") if level == "district" else (f"{jid}.",)
        if not prog_id.startswith(prefixes):
            raise PolicyDataError(f"{where}: programme ids start with {' or '.join(repr(p) for p in prefixes)}")
        kind = raw.get("kind")
        if kind not in PROGRAM_KINDS:
            raise PolicyDataError(f"{where}.kind: {kind!r} is not one of {', '.join(PROGRAM_KINDS)}")
        cites = _strs(raw, "cite", where)
        refinements = _strs(raw, "refinements", where)
        if not cites:
            raise PolicyDataError(f"{where}.cite: every programme cites the clause it rests on")
        for c in (*cites, *refinements):
            if c not in cite_ids:
                raise PolicyDataError(f"{where}: cites unknown citation {c!r}")
        payer = _str(raw, "payer", where, required=kind in ("entitlement", "obligation"))
        if payer is not None:
            _check_payer_id(payer, jid, payers, where)
        basis = raw.get("basis")
        if kind in ("entitlement", "obligation") and basis not in BASES:
            raise PolicyDataError(f"{where}.basis: {basis!r} is not one of {', '.join(BASES)}")
        rule = rules.get(prog_id)
        if kind in ("entitlement", "obligation") and rule is None:
            raise PolicyDataError(f"{where}: no rule function for this money-bearing programme")
        matches = _str(raw, "matches", where, required=kind == "obligation")
        start = raw.get("start")
        end = raw.get("end")
        for key, d in (("start", start), ("end", end)):
            if d is not None and (not isinstance(d, dt.date) or isinstance(d, dt.datetime)):
                raise PolicyDataError(f"{where}.{key}: a TOML date")
        if start is not None and end is not None and end < start:
            raise PolicyDataError(f"{where}: end before start")
        reported_since = _reported_since(raw, start, [citations[c] for c in (*cites, *refinements)], where)
        programs.append(
            Program(
                id=prog_id,
                kind=cast(ProgramKind, kind),
                name_zh=_str(raw, "name_zh", where) or "",
                name_en=_str(raw, "name_en", where) or "",
                citations=tuple(citations[c] for c in (*cites, *refinements)),
                base_cites=cites,
                payer=payer,
                basis=cast("Basis | None", basis),
                start=start,
                end=end,
                designation=_str(raw, "designation", where, required=False),
                matches=matches,
                assumptions=_strs(raw, "assumptions", where),
                notes=_strs(raw, "notes", where),
                assumptions_zh=zh_list(raw, "assumptions", where),
                notes_zh=zh_list(raw, "notes", where),
                rule=rule,
                reported_since=reported_since,
            )
        )
    extra_rules = set(rules) - {p.id for p in programs}
    if extra_rules:
        raise PolicyDataError(f"rules for programmes the data does not declare: {sorted(extra_rules)}")

    designations: list[DesignationSpec] = []
    for did, raw in _tables(data, "designations").items():
        where = f"designations.{did}"
        if not did.startswith(f"{jid}."):
            raise PolicyDataError(f"{where}: designation ids start with {jid!r}.")
        prog = _str(raw, "program", where)
        if prog not in {p.id for p in programs}:
            raise PolicyDataError(f"{where}.program: unknown programme {prog!r}")
        amount_param = _str(raw, "amount_parameter", where, required=False)
        if amount_param is not None and amount_param not in parameters:
            raise PolicyDataError(f"{where}.amount_parameter: unknown parameter {amount_param!r}")
        designations.append(
            DesignationSpec(
                did, _str(raw, "name_zh", where) or "", _str(raw, "name_en", where) or "", prog or "", amount_param
            )
        )

    return Policy(
        id=jid,
        name_zh=_str(j, "name_zh", "jurisdiction") or "",
        name_en=_str(j, "name_en", "jurisdiction") or "",
        level=cast(Level, level),
        parent=parent,
        division_code=code,
        programs=tuple(programs),
        designations=tuple(designations),
        payers=MappingProxyType(payers),
        citations=MappingProxyType(citations),
        parameters=MappingProxyType(parameters),
        references=_strs(j, "references", "jurisdiction"),
        limitations=_strs(j, "limitations", "jurisdiction"),
        references_zh=zh_list(j, "references", "jurisdiction"),
        limitations_zh=zh_list(j, "limitations", "jurisdiction"),
        messages=MappingProxyType(_messages(data.get("messages", {}), jid)),
        terms=MappingProxyType(_terms(jid, j, programs, payers, designations)),
    )


def _messages(raw: object, jid: str) -> dict[str, Any]:
    """The data file's ``[messages]`` catalog; its codes start with the jurisdiction's id (a plugin's too)."""
    entries = parse_catalog(raw, "messages")
    stray = sorted(code for code in entries if not code.startswith(f"{jid}."))
    if stray:
        raise PolicyDataError(f"messages: codes start with {jid!r}.: {stray}")
    return entries


def _terms(
    jid: str,
    j: Mapping[str, Any],
    programs: list[Program],
    payers: Mapping[str, Payer],
    designations: list[DesignationSpec],
) -> dict[str, tuple[str, str]]:
    """The jurisdiction's names as message terms (``{x:program}`` renders a programme's name, say)."""
    terms = {f"jurisdiction.{jid}": (str(j.get("name_zh", jid)), str(j.get("name_en", jid)))}
    terms.update({f"program.{p.id}": (p.name_zh, p.name_en) for p in programs})
    terms.update({f"payer.{p.id}": (p.name_zh, p.name_en) for p in payers.values()})
    terms.update({f"designation.{d.id}": (d.name_zh, d.name_en) for d in designations})
    return terms


def _reported_since(
    raw: Mapping[str, Any], start: dt.date | None, cited: list[Citation], where: str
) -> dt.date | None:
    """A programme's ``reported_since``: never invented, it must be the ``published`` date of the earliest dated
    source among those the programme cites, and only a programme with no stated ``start`` has one."""
    value = raw.get("reported_since")
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise PolicyDataError(f"{where}.reported_since: a TOML date")
    if start is not None:
        raise PolicyDataError(f"{where}.reported_since: only for a programme with no stated start (start is {start})")
    dated = sorted({c.published for c in cited if c.published is not None})
    if not dated or value != dated[0]:
        found = dated[0].isoformat() if dated else "none"
        raise PolicyDataError(
            f"{where}.reported_since: {value} is not the date of the earliest dated source the programme cites "
            f"({found}); it is that source's published date, never another"
        )
    return value


def load_builtin(jurisdiction_id: str, rules: Mapping[str, Rule]) -> Policy:
    """Build a bundled jurisdiction from ``jurisdictions/<id>.toml`` and its module's rules."""
    data = _load_toml("tuoyu_rules.jurisdictions", f"{jurisdiction_id}.toml")
    policy = build_policy(data, rules, sources=builtin_sources(), origin=f"jurisdictions/{jurisdiction_id}.toml")
    if policy.id != jurisdiction_id:
        raise PolicyDataError(f"jurisdictions/{jurisdiction_id}.toml declares id {policy.id!r}")
    return policy
