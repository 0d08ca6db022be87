"""Policies: one object per jurisdiction, its programmes, payers and designations, and what a rule returns.

A jurisdiction is two small pieces:

* a TOML data file (``jurisdictions/<id>.toml``): who it is (names, level, parent, GB/T 2260 code), its payers,
  its citations, its programmes (names, payer, basis, dates, citations) and its dated parameters;
* a Python module (``jurisdictions/<id>.py``) with one plain function per money-bearing programme (a
  :data:`Rule`), taking a :class:`~tuoyu_rules.core.context.RuleContext` and returning an :class:`Outcome`.
  The module lists them in a ``RULES`` mapping and builds its :class:`Policy` with
  :func:`~tuoyu_rules.core.loading.build_policy`.

This module holds the objects (and the ``Level``, ``Basis``, ``Status`` and programme-kind literals);
:mod:`~tuoyu_rules.core.context` holds what a rule sees and :mod:`~tuoyu_rules.core.loading` reads the data
files. The engine (:func:`tuoyu_rules.assess`) never needs to change when a jurisdiction is added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from .amounts import AmountRange
from .citations import Citation
from .errors import UnknownProgram
from .messages import Entry, Message
from .parameters import Parameter, in_period, period_text

if TYPE_CHECKING:
    from .context import RuleContext

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
    reasons: tuple[Message | str, ...]
    """Why, as coded messages (:func:`~tuoyu_rules.core.messages.msg`), rendered in both languages by the engine from
    the catalogs. A plain string (a plugin written before messages existed) is kept as it is, under the code
    ``plugin.text``, in both languages."""
    missing: tuple[str, ...] = ()
    payer: str | None = None
    """Overrides the programme's payer, when the rule knows better (rare)."""
    basis: Basis | None = None
    """Overrides the programme's basis, when a documented reading (a ``choice`` parameter) changes it."""
    children: int | None = None
    """For a ``per_child_month`` amount: the number of children the rule counts (enrolled, full-day enrolled,
    employees' children: each rule says which); None when the caller did not supply that count (the rule
    lists it in ``missing``) and for every other basis. The engine multiplies the amount by it once, exactly,
    into the entry's ``total``; a count is never guessed."""


Rule = Callable[["RuleContext"], "Outcome | None"]
"""A rule: a plain function of a :class:`~tuoyu_rules.core.context.RuleContext` that returns an Outcome, or None
for an obligation that does not arise."""


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
    assumptions_zh: tuple[str, ...] = ()
    """The assumptions in Chinese, text by text (the data's ``assumptions_zh``); () when none is given."""
    notes_zh: tuple[str, ...] = ()
    """The notes in Chinese, text by text (the data's ``notes_zh``); () when none is given."""
    rule: Rule | None = field(default=None, compare=False, repr=False)
    reported_since: dt.date | None = None
    """For a programme whose sources state no start: the date of the earliest source that reports it (that
    source's ``published`` date, checked when the data loads). Before it the programme is not known to exist:
    the engine gives an undetermined entry, never the law as if it had always been in force. None when no
    source reporting it carries a date (the programme then stays undated, and its data says so)."""

    def in_force_on(self, day: dt.date) -> bool:
        return in_period(day, self.start, self.end)

    def reported_on(self, day: dt.date) -> bool:
        """Whether a source reporting the programme exists on ``day`` (always, when it has no ``reported_since``)."""
        return self.reported_since is None or day >= self.reported_since

    def dates(self) -> str:
        period = period_text(self.start, self.end, "from an unstated date", "no stated end")
        text = "no dates stated in the sources" if period is None else f"in force {period}"
        if self.reported_since is not None:
            text += f"; first reported {self.reported_since.isoformat()} (the earliest dated source found)"
        return text


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
    references_zh: tuple[str, ...] = ()
    """The references in Chinese, text by text (the data's ``references_zh``); () when none is given."""
    limitations_zh: tuple[str, ...] = ()
    """The limitations in Chinese, text by text (the data's ``limitations_zh``); () when none is given."""
    messages: Mapping[str, Entry] = field(default_factory=lambda: MappingProxyType({}))
    """The jurisdiction's message catalog (its data file's ``[messages]`` table): code -> zh and en templates."""
    terms: Mapping[str, tuple[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    """Its names as glossary terms, for messages: ``program.<id>``, ``payer.<id>``, ``designation.<id>`` and
    ``jurisdiction.<id>`` -> (zh, en)."""

    def program(self, program_id: str) -> Program:
        for p in self.programs:
            if p.id == program_id:
                return p
        raise UnknownProgram("programme", program_id, (p.id for p in self.programs))

    def designation(self, designation_id: str) -> DesignationSpec | None:
        for d in self.designations:
            if d.id == designation_id:
                return d
        return None

    def designation_range(self, designation_id: str, year: int) -> AmountRange | None:
        """The designation's range in force at the end of ``year`` (its batch's, for a batch parameter); None when
        none is. A pinned amount is checked against every range it may be meant for, not this one alone
        (:func:`tuoyu_rules.core.models.amount_ranges`)."""
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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles (to a worker process, say): the read-only mappings travel as dicts and come back read-only;
        rule functions travel by reference, as every module-level function does."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return _unpickle_policy, ({k: dict(v) if isinstance(v, Mapping) else v for k, v in fields.items()},)


def _unpickle_policy(fields: dict[str, Any]) -> Policy:
    restored: dict[str, Any] = {k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in fields.items()}
    return Policy(**restored)
