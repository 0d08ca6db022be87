"""Policies: one object per jurisdiction, built from its data file and its rule functions.

A jurisdiction is two small pieces:

* a TOML data file (``jurisdictions/<id>.toml``): who it is (names, level, parent, GB/T 2260 code), its payers,
  its citations, its programmes (names, payer, basis, dates, citations) and its dated parameters;
* a Python module (``jurisdictions/<id>.py``) with one plain function per money-bearing programme, taking a
  :class:`RuleContext` and returning an :class:`Outcome`. The module lists them in a ``RULES`` mapping and
  builds its :class:`Policy` with :func:`build_policy`.

The engine (:func:`tuoyu_rules.assess`) never needs to change when a jurisdiction is added.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import ValidationError

from .amounts import AmountRange
from .citations import Citation
from .errors import PolicyDataError
from .money import DEFAULT_ROUNDING
from .parameters import Bracket, Choice, DatedValue, Parameter, ParameterUse, Ratio, one_line, parse_parameter

if TYPE_CHECKING:
    from .models import Designation, Facility
    from .reforms import Reform
    from .results import Entitlement

Level = Literal["national", "province", "city", "district"]
LEVELS: tuple[str, ...] = ("national", "province", "city", "district")
Status = Literal["eligible", "ineligible", "undetermined"]
Basis = Literal["one_time", "per_year", "per_month", "per_child_month"]
BASES: tuple[str, ...] = ("one_time", "per_year", "per_month", "per_child_month")
ProgramKind = Literal["entitlement", "obligation", "condition", "fee_rule", "compliance", "family"]
PROGRAM_KINDS: tuple[str, ...] = ("entitlement", "obligation", "condition", "fee_rule", "compliance", "family")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a rule decides for one facility on one day, before the engine adds the programme's metadata."""

    status: Status
    amount: AmountRange
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    payer: str | None = None
    """Overrides the programme's payer, when the rule knows better (rare)."""
    basis: Basis | None = None
    """Overrides the programme's basis, when a documented reading (a ``choice`` parameter) changes it."""


Rule = Callable[["RuleContext"], "Outcome | None"]
"""A rule: returns an Outcome, or None for an obligation that does not arise."""


@dataclass(frozen=True, slots=True)
class Payer:
    id: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Program:
    """A programme of a jurisdiction: its identity, payer, basis, dates and citations, and its rule.

    ``citations`` are every citation the programme rests on (seed clause first, then refinements);
    an entitlement carries the seed citations plus those of the parameter values and conditions it used.
    """

    id: str
    kind: ProgramKind
    name_zh: str
    name_en: str
    citations: tuple[Citation, ...]
    base_cites: tuple[str, ...]
    payer: str | None = None
    basis: Basis | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    designation: str | None = None
    matches: str | None = None
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rule: Rule | None = field(default=None, compare=False, repr=False)

    def in_force_on(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def dates(self) -> str:
        if self.start is None and self.end is None:
            return "no dates stated in the sources"
        return f"in force {self.start or 'from an unstated date'} to {self.end or 'no stated end'}"


@dataclass(frozen=True, slots=True)
class DesignationSpec:
    """A designation a body awards (爱心托育用人单位, 示范点, 普惠 recognition), and the programme it feeds."""

    id: str
    name_zh: str
    name_en: str
    program: str
    amount_parameter: str | None
    """The parameter whose range a pinned ``Designation.amount`` must lie in; None when the source states none."""


@dataclass(frozen=True)
class Policy:
    """A jurisdiction's rules: identity, programmes, designations, payers, citations and parameters."""

    id: str
    name_zh: str
    name_en: str
    level: Level
    parent: str | None
    division_code: str
    programs: tuple[Program, ...]
    designations: tuple[DesignationSpec, ...]
    payers: Mapping[str, Payer]
    citations: Mapping[str, Citation]
    parameters: Mapping[str, Parameter]
    references: tuple[str, ...] = ()
    limitations: tuple[str, ...] = ()

    def program(self, program_id: str) -> Program:
        for p in self.programs:
            if p.id == program_id:
                return p
        from .errors import UnknownProgram

        raise UnknownProgram("programme", program_id, (p.id for p in self.programs))

    def designation(self, designation_id: str) -> DesignationSpec | None:
        for d in self.designations:
            if d.id == designation_id:
                return d
        return None

    def designation_range(self, designation_id: str, year: int) -> AmountRange | None:
        """The range a pinned designation amount must lie in for ``year``; None when nothing constrains it."""
        spec = self.designation(designation_id)
        if spec is None or spec.amount_parameter is None:
            return None
        param = self.parameters[spec.amount_parameter]
        value = param.value_for_batch(year) if param.by_batch else param.value_on(dt.date(year, 12, 31))
        if value is None or not isinstance(value.value, AmountRange):
            return None
        return value.value

    def __repr__(self) -> str:
        return f"Policy({self.id!r}, {self.name_en!r}, level={self.level!r}, programs={len(self.programs)})"


# -- rule context -----------------------------------------------------------------------------------------


class RuleContext:
    """What a rule sees: the facility, the day, its programme, and parameter readers that record each use.

    Rules read parameters only through this context (``range``, ``ratio``, ``count``, ``brackets``,
    ``value``), so the result can list every value used and the citation it rests on.
    """

    __slots__ = (
        "_cites",
        "_uses",
        "chain",
        "entitlements",
        "facility",
        "last_ratio",
        "on",
        "pin",
        "pin_field",
        "policy",
        "program",
        "reform",
        "rounding",
    )

    def __init__(
        self,
        *,
        facility: Facility,
        on: dt.date,
        program: Program,
        policy: Policy,
        chain: tuple[Policy, ...],
        rounding: str = DEFAULT_ROUNDING,
        entitlements: Mapping[str, Entitlement] | None = None,
        reform: Reform | None = None,
        pin: Decimal | None = None,
        pin_field: str = "",
    ) -> None:
        self.facility = facility
        self.on = on
        self.program = program
        self.policy = policy
        self.chain = chain
        self.rounding = rounding
        self.entitlements: Mapping[str, Entitlement] = entitlements or {}
        self.reform = reform
        self.pin = pin
        """The amount the caller pinned for this programme (a ``pins`` entry or a designation's amount)."""
        self.pin_field = pin_field
        self.last_ratio: Ratio | None = None
        self._uses: list[ParameterUse] = []
        self._cites: list[str] = list(program.base_cites)

    # -- reading parameters --------------------------------------------------------------------------
    def _parameter(self, name: str) -> tuple[Parameter, Policy]:
        for layer in (self.policy, *self.chain):
            param = layer.parameters.get(name)
            if param is not None:
                return param, layer
        raise PolicyDataError(f"rule {self.program.id} reads unknown parameter {name!r}")

    def value(self, name: str, *, batch: int | None = None) -> DatedValue | None:
        """The value of ``name`` on the assessed day (or for ``batch``), recorded; None if none applies."""
        param, _ = self._parameter(name)
        if self.reform is not None:
            override = self.reform.value(name, self.on, batch)
            if override is not None:
                self._uses.append(
                    ParameterUse(
                        name=name,
                        value=override.render(),
                        period=override.period() if override.batch or override.start or override.end else "what-if",
                        citations=override.cites,
                        what_if=True,
                    )
                )
                return override
        found = param.value_for_batch(batch) if batch is not None else param.value_on(self.on)
        if found is not None:
            self._uses.append(found.use)
            for c in found.cites:
                self.cite(c)
        return found

    def range(self, name: str, *, batch: int | None = None) -> AmountRange | None:
        found = self.value(name, batch=batch)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, AmountRange):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not a range")
        return found.value

    def ratio(self, name: str, *, batch: int | None = None) -> Ratio | None:
        found = self.value(name, batch=batch)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, Ratio):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not a ratio")
        self.last_ratio = found.value
        return found.value

    def count(self, name: str) -> int | None:
        found = self.value(name)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, int):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not a count")
        return found.value

    def brackets(self, name: str) -> tuple[Bracket, ...] | None:
        found = self.value(name)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, tuple):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not a bracket table")
        return found.value

    def choice(self, name: str) -> str | None:
        """The reading a ``choice`` parameter selects (a documented assumption), recorded."""
        found = self.value(name)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, Choice):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not a choice")
        return found.value.value

    def cite(self, citation_id: str) -> None:
        """Record that the result rests on this citation (a refinement's condition, say)."""
        if citation_id not in self._cites:
            self._cites.append(citation_id)

    def citation(self, citation_id: str) -> Citation:
        for layer in (self.policy, *self.chain):
            found = layer.citations.get(citation_id)
            if found is not None:
                return found
        raise PolicyDataError(f"rule {self.program.id} cites unknown citation {citation_id!r}")

    @property
    def uses(self) -> tuple[ParameterUse, ...]:
        return tuple(self._uses)

    @property
    def cited(self) -> tuple[str, ...]:
        return tuple(self._cites)

    # -- facts ---------------------------------------------------------------------------------------
    def designation(self) -> Designation | None:
        """The facility's designation that feeds this programme, if any."""
        spec_id = self.program.designation
        if spec_id is None:
            return None
        return self.facility.designation(spec_id)

    def layer(self, level: Level) -> Policy | None:
        """The layer of the chain at ``level`` (the province above a city, say)."""
        for layer in self.chain:
            if layer.level == level:
                return layer
        return None

    @property
    def payer(self) -> str:
        """The programme's payer id, with a ``{province}``/``{city}``/``{district}`` placeholder resolved."""
        payer = self.program.payer or ""
        for level in ("province", "city", "district"):
            token = "{" + level + "}"
            if token in payer:
                layer = self.layer(level)
                if layer is None:
                    raise PolicyDataError(f"{self.program.id} is paid by the {level} above, and there is none")
                payer = payer.replace(token, layer.id)
        return payer

    # -- outcomes ------------------------------------------------------------------------------------
    def eligible(self, amount: AmountRange, *reasons: str, missing: tuple[str, ...] = ()) -> Outcome:
        return Outcome("eligible", amount, reasons, missing)

    def ineligible(self, *reasons: str) -> Outcome:
        return Outcome("ineligible", AmountRange.zero(), reasons)

    def undetermined(self, amount: AmountRange, *reasons: str, missing: tuple[str, ...]) -> Outcome:
        return Outcome("undetermined", amount, reasons, missing)

    def not_stated(self, *reasons: str) -> Outcome:
        """The source states a payment but no amount: undetermined, unless the caller pinned one."""
        if self.pin is not None:
            return Outcome(
                "eligible", AmountRange.unknown(), (*reasons, f"the amount was supplied by {self.pin_field}")
            )
        field_name = (
            f"designations[{self.program.designation}].amount"
            if self.program.designation
            else f"pins[{self.program.id}]"
        )
        return Outcome("undetermined", AmountRange.unknown(), reasons, (field_name,))

    def match(self, grant: Entitlement, ratio: Ratio, *reasons: str) -> Outcome:
        """A matching obligation of ``ratio`` times ``grant``: exact (按1:1) or a minimum (不低于1:1)."""
        scaled, note = self.scale(grant.amount, ratio.value, "matching amount")
        amount = scaled if ratio.exact else AmountRange.model_construct(low=scaled.low, high=None, allowed=None)
        how = "exactly" if ratio.exact else "at least"
        text = f"{how} {format(ratio.value, 'f')}:1 of {grant.program} ({grant.amount.format()}), paid by {self.payer}"
        all_reasons = (text, *reasons, *((note,) if note else ()))
        if grant.status == "undetermined":
            return Outcome("undetermined", amount, (*all_reasons, "the matched grant is undetermined"), grant.missing)
        return Outcome("eligible", amount, all_reasons)

    def scale(self, amount: AmountRange, factor: Decimal | int, what: str) -> tuple[AmountRange, str | None]:
        """``amount * factor`` rounded once to the fen; the second item is a reason when rounding changed it."""
        scaled, rounded = amount.scale(factor, rounding=self.rounding)
        note = f"{what}: rounded to the fen ({self.rounding})" if rounded else None
        return scaled, note


# -- building a policy from data ------------------------------------------------------------------------


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
    src_id = _str(raw, "source", where)
    assert src_id is not None
    src = sources.get(src_id)
    if not isinstance(src, dict):
        raise PolicyDataError(f"{where}.source: unknown source {src_id!r}")
    unknown = set(raw) - {"source", "clause", "quote", "summary"}
    if unknown:
        raise PolicyDataError(f"{where}: unknown keys {sorted(unknown)}")
    try:
        return Citation(
            id=cid,
            source=src.get("document", src_id),
            title=src.get("title", ""),
            issuer=src.get("issuer"),
            published=src.get("published"),
            where=src.get("where"),
            confidence=src.get("confidence", ""),
            clause=raw.get("clause", ""),
            quote=raw.get("quote"),
            summary=raw.get("summary"),
        )
    except ValidationError as exc:
        raise PolicyDataError(f"{where}: {one_line(exc)}") from None


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
        parameters[name] = parse_parameter(name, raw, cite_ids)

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
                rule=rule,
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
    )


def load_builtin(jurisdiction_id: str, rules: Mapping[str, Rule]) -> Policy:
    """Build a bundled jurisdiction from ``jurisdictions/<id>.toml`` and its module's rules."""
    data = _load_toml("tuoyu_rules.jurisdictions", f"{jurisdiction_id}.toml")
    policy = build_policy(data, rules, sources=builtin_sources(), origin=f"jurisdictions/{jurisdiction_id}.toml")
    if policy.id != jurisdiction_id:
        raise PolicyDataError(f"jurisdictions/{jurisdiction_id}.toml declares id {policy.id!r}")
    return policy
