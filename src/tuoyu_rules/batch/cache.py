"""The fact-keyed cache: :class:`RuleCache`, the engine's results remembered by exactly the facts it read.

The rules are defined once, in the jurisdiction modules; this module never restates them. It makes a large
run fast by *remembering* what the engine did, keyed by exactly the facts the engine read:

* on a cache miss, a row is assessed by the real engine (:func:`tuoyu_rules.assess`) on a traced copy of its
  :class:`~tuoyu_rules.Facility` that records, in order, every field the engine and the rules read
  (:mod:`tuoyu_rules.batch.trace`);
* the results (entitlements, obligations, notes) are stored at the end of that path in a decision trie
  (:mod:`tuoyu_rules.batch.trie`): each node names the next field the engine read, each edge is one value of it;
* a later row walks the trie, reading only those fields. If it reaches a stored result, the engine would have
  read the same fields with the same values and, being pure (the contract of ``assess``: no clock, no I/O,
  the same input gives the same output), returned the same result; otherwise it is a miss and the trie grows.

So a Xiamen facility's result does not depend on its ``places`` (Xiamen's rules never read it) while a
Siming facility's does depend on ``staff_children`` (its allowance is counted per employee's child); nobody
has to declare which facts matter, and nothing is guessed. Every row is still validated as a ``Facility``.
Exceptions from the engine are never cached. Anything that reads a facility other than field by field
(``model_dump``, ``__dict__``) makes that result depend on every field.

A count a rule only passes on as an entry's ``children`` (Hangzhou's 普惠 subsidy: ``enrolled``) is not a fact of
the trie: the trace hands it to the rule as a token that can be passed on and nothing else, and the stored
result holds for every whole number, each row getting its own ``children``, ``total`` and ``owed``
(:mod:`tuoyu_rules.batch.trace`, :meth:`~tuoyu_rules.batch.trie._Leaf.at`). A rule that uses the count in any
way (compares it, formats it, scales it), a later rule that reads that entry, or receipts, key the result on
the number again.

Memory stays flat: the trie is cleared when it holds ``max_leaves`` results.

One cache may be shared by threads (the HTTP service shares one per day across its requests): every change
of the trie and of the designation memo happens under the cache's lock, and a look-up reads only nodes that
are complete (a node is linked into the trie after it is built; a flat node being split is left as it was).
Two threads missing on the same facts both run the engine and store the same result.

A cache holds the results of one set of options (the day, the what-if jurisdiction, the rounding, the
reform, the pins): it carries them (:attr:`RuleCache.on`, :attr:`RuleCache.jurisdiction`,
:attr:`RuleCache.options`), and the batch functions given ``cache=`` refuse it, with an
:class:`~tuoyu_rules.InvalidInput` naming the option, when the options of the call differ (a cache made for
the law must never answer for a reform).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..core.engine import assess
from ..core.errors import InvalidInput
from ..core.jsonio import loads
from ..core.models import Designation, Facility
from ..core.money import DEFAULT_ROUNDING
from ..core.reforms import Reform
from ..core.results import Assessment, Entitlement, Obligation
from ..io.readers import Row as ReaderRow
from .fen import FenEntry
from .trace import _FIELDS, _SCALED, _WHOLE, _key, _path, _run
from .trie import _Flat, _grow, _Leaf, _stored, _Trie

_ASSESS_OPTIONS = frozenset({"reform", "pins", "lang"})
"""The options of :func:`~tuoyu_rules.assess` a cache passes on besides the day, jurisdiction and rounding."""

RowInput = Mapping[str, Any] | Facility | str | bytes | ReaderRow
"""What a batch row may be: JSON data (a mapping), JSON text (one line of NDJSON, say), an already validated Facility,
or a reader's :class:`~tuoyu_rules.io.Row` (a line of a CSV or JSON Lines file, a DataFrame's row)."""


def __getattr__(name: str) -> Any:
    """``Row``: the old name of :data:`RowInput`, kept importable (deprecated: ``tuoyu_rules.Row`` is a file's row)."""
    if name == "Row":
        return RowInput
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RuleCache:
    """The engine's results for one day and one set of options, keyed by the facts each run read.

    :param on: the day assessed (as in :func:`~tuoyu_rules.assess`).
    :param jurisdiction: a what-if move applied to every row (None: each row's own jurisdiction).
    :param max_leaves: results kept before the trie is cleared (memory stays bounded).
    :param max_designation_sets: distinct designation lists whose validation is kept (see
        :meth:`facility`) before that memo is cleared.
    :param assess_options: further keyword arguments of :func:`~tuoyu_rules.assess` (``reform``, ``pins``),
        the same for every row. ``rounding`` and these are kept in :attr:`options`.

    :func:`~tuoyu_rules.batch.assess_many`, :func:`~tuoyu_rules.batch.tally` and
    :func:`~tuoyu_rules.batch.tally_columns` given this cache check that their own ``on``, ``jurisdiction``,
    ``rounding``, ``reform`` and ``pins`` (defaults included) are the cache's, and raise
    :class:`~tuoyu_rules.InvalidInput` naming the first that differs: pass the same options to the cache and
    to the call.

    Thread-safe: threads may share one cache (see the module's docs); ``hits``, ``misses`` and ``leaves``
    are exact in one thread and may undercount when threads share the cache.
    """

    def __init__(
        self,
        *,
        on: dt.date,
        jurisdiction: str | None = None,
        rounding: str = DEFAULT_ROUNDING,
        max_leaves: int = 100_000,
        max_designation_sets: int = 10_000,
        **assess_options: Any,
    ) -> None:
        for name, bound in (("max_leaves", max_leaves), ("max_designation_sets", max_designation_sets)):
            if isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
                problem = "{name} must be a whole number, at least 1, not {value}"
                raise InvalidInput.coded(name, "error.batch.bound", problem, name=name, value=f"{bound!r:.40}")
        unknown = sorted(set(assess_options) - _ASSESS_OPTIONS)
        if unknown:  # issue 15: one error family (was a TypeError from assess on the first row)
            known = ", ".join(sorted(_ASSESS_OPTIONS))
            problem = "not an option of assess; the options are {known}"
            raise InvalidInput.coded(unknown[0], "error.batch.assess_option", problem, known=known)
        self._on = on
        self._jurisdiction = jurisdiction
        self._options: Mapping[str, Any] = MappingProxyType({"rounding": rounding, **assess_options})
        self.max_leaves = max_leaves
        self.hits = 0
        self.misses = 0
        self.leaves = 0
        self.clears = 0
        self._root: _Trie | None = None
        self._lock = threading.Lock()
        """Held while the trie or the designation memo changes (threads may share the cache)."""
        self._read: set[str] = set()
        """Every field a stored run read as a value (kept across clears: a superset of the trie's fields)."""
        self._scaled: set[str] = set()
        """Every count a stored run read as a token (:mod:`~tuoyu_rules.batch.trace`: any whole number will do)."""
        self._tokens: dict[str, frozenset[str]] = {}
        """Per jurisdiction, the fields read as tokens (a field whose token a rule used is read as a value since)."""
        self.max_designation_sets = max_designation_sets
        self._designations: dict[tuple[Any, ...], tuple[Designation, ...]] = {}
        """Validated designations by the exact data of their list (see :meth:`facility`)."""
        adapter = TypeAdapter(Facility)  # Facility's own validator, without model_validate's call overhead
        self._from_python: Callable[[Any], Facility] = adapter.validate_python

    @property
    def on(self) -> dt.date:
        """The day assessed (fixed when the cache is made)."""
        return self._on

    @property
    def jurisdiction(self) -> str | None:
        """The what-if jurisdiction applied to every row, or None (fixed when the cache is made)."""
        return self._jurisdiction

    @property
    def options(self) -> Mapping[str, Any]:
        """The other options of :func:`~tuoyu_rules.assess` the results are for: ``rounding`` and any
        ``reform``, ``pins`` given (read-only, fixed when the cache is made)."""
        return self._options

    def _find(self, facility: Facility) -> _Leaf | None:
        node = self._root
        try:
            while node is not None:
                kind = node.__class__
                if kind is _Flat:
                    return node.table.get(node.key(node.get(facility)))  # type: ignore[union-attr]
                if kind is _Leaf:
                    return node  # type: ignore[return-value]
                name = node.field  # type: ignore[union-attr]
                value = _key(facility) if name == _WHOLE else getattr(facility, name)
                child = node.children.get(value)  # type: ignore[union-attr]
                if child is None and type(value) is int:  # a count: a result that holds for every whole number
                    child = node.children.get(_SCALED)  # type: ignore[union-attr]
                node = child
        except TypeError:  # an unhashable value: never cached
            return None
        return None

    def facility(self, row: RowInput) -> Facility:
        """``row`` validated as a :class:`~tuoyu_rules.Facility`, exactly as ``Facility.model_validate(row)``.

        A mapping's ``designations`` are validated once per distinct list: the first row with that exact
        list (same keys, values and value types) is validated whole and its validated designations are kept;
        a later row with the same list is validated by ``Facility`` with those designations in place of the
        list (every other field, and every cross-field check, validated as usual). A designation's
        validation reads nothing but its own data and the loaded policies, so the result is the same;
        an invalid row raises the error ``Facility.model_validate(row)`` raises. JSON text (``str`` or
        ``bytes``) is read by :func:`tuoyu_rules.core.jsonio.loads`, the library's one JSON policy (numbers
        with a fraction as exact ``Decimal``; a key given twice, NaN, deep nesting refused with a
        :class:`~tuoyu_rules.core.jsonio.JsonError`), and the data it holds validated as above, so a line
        gets the same answer here as from :func:`tuoyu_rules.io.read_jsonl` or ``tuoyu assess``. Validation
        goes through ``TypeAdapter(Facility)``: the same validator (the model's own core schema) without
        ``model_validate``'s per-call overhead.
        """
        if isinstance(row, Facility):
            return row
        if isinstance(row, ReaderRow):  # a reader's row (a file's, a DataFrame's): validated already, or its problem
            if row.facility is not None:
                return row.facility
            problem = row.problem
            if problem is None:
                raise InvalidInput.coded("(row)", "error.batch.no_facility", "no facility") from None
            raise InvalidInput(problem.field, problem.message, problem.code, problem.params) from None
        data: Any = loads(row, field="row") if isinstance(row, str | bytes) else row
        raw = data.get("designations") if type(data) is dict else None
        if not raw:
            return self._from_python(data)  # a dict, or anything else: Facility's own error
        key = _designations_key(raw)
        if key is None:
            return self._from_python(data)
        known = self._designations.get(key)
        if known is None:
            validated = self._from_python(data)
            with self._lock:
                if len(self._designations) >= self.max_designation_sets:
                    self._designations.clear()
                self._designations[key] = validated.designations
            return validated
        try:
            return self._from_python({**data, "designations": known})
        except ValidationError:
            return self._from_python(data)  # raises the row's own error, with the row's own input

    def leaf(self, facility: Facility) -> _Leaf:
        """The stored result for ``facility``, running the engine (and remembering its path) on a miss."""
        found = self._find(facility)
        if found is not None:
            self.hits += 1
            return found.at(tuple(getattr(facility, name) for _, name in found.scaled)) if found.scaled else found
        self.misses += 1
        place = facility.jurisdiction
        tokens = self._tokens.get(place, _FIELDS)
        result, trace = _run(facility, tokens, self._assess)
        if trace.tokens != tokens:
            self._tokens[place] = trace.tokens
        leaf = _stored({name: getattr(result, name) for name in Assessment.model_fields if name != "facility"}, trace)
        self._insert(_path(trace.log, facility), leaf)
        return leaf.at(tuple(getattr(facility, name) for _, name in leaf.scaled)) if leaf.scaled else leaf

    def _assess(self, facility: Facility) -> Assessment:
        return assess(facility, jurisdiction=self._jurisdiction, on=self._on, **self._options)

    def _insert(self, path: list[tuple[str, Any]], leaf: _Leaf) -> None:
        if not path:
            return  # the engine read no field at all: not cached (assess always reads the jurisdiction)
        try:
            hash(tuple(value for _, value in path))
        except TypeError:
            return  # an unhashable value: this result is not cached
        with self._lock:  # one writer at a time: a split (_explode) iterates a table another store would grow
            if self.leaves >= self.max_leaves:
                self._root = None
                self.leaves = 0
                self.clears += 1
            self._root = _grow(self._root, path, leaf)
            self._read.update(name for name, value in path if value is not _SCALED)
            self._scaled.update(name for name, value in path if value is _SCALED)
            self.leaves += 1

    def assessment(self, facility: Facility) -> Assessment:
        """The :class:`~tuoyu_rules.Assessment` of ``facility``, equal to ``tr.assess(facility, on=...)``."""
        return Assessment(facility=facility, **self.leaf(facility).rest)

    def entries(self, facility: Facility) -> tuple[tuple[Entitlement, ...], tuple[Obligation, ...]]:
        """The entitlements and obligations of ``facility``'s assessment, equal to those of ``tr.assess`` with the
        cache's options, without building the :class:`~tuoyu_rules.Assessment` (what a budget adds up)."""
        rest = self.leaf(facility).rest
        return rest["entitlements"], rest["obligations"]

    def ndjson(self, facility: Facility) -> str:
        """``Assessment.model_dump_json()`` of ``facility``, built from the stored result's JSON."""
        leaf = self.leaf(facility)
        tail = leaf.json_tail
        if tail is None:
            full = Assessment(facility=facility, **leaf.rest).model_dump_json()
            prefix = '{"facility":' + facility.model_dump_json() + ","
            if not full.startswith(prefix):  # pragma: no cover - a change of field order in Assessment
                return full
            tail = leaf.json_tail = full[len(prefix) :]
        return '{"facility":' + facility.model_dump_json() + "," + tail

    def assess_json(self, row: RowInput) -> str:
        """Validate ``row`` (:meth:`facility`) and return its assessment as JSON text.

        The same text as ``tr.assess(Facility.model_validate(row), on=..., ...).model_dump_json()``: the
        facility's own JSON followed by the stored result's.
        """
        return self.ndjson(self.facility(row))

    def fen(self, facility: Facility) -> tuple[FenEntry, ...]:
        """Each entry of ``facility``'s assessment in integer fen."""
        return self.leaf(facility).fen


def _designations_key(raw: Any) -> tuple[Any, ...] | None:
    """The exact data of a list of designation mappings (keys, values and value types); None: not memoised."""
    if type(raw) is not list and type(raw) is not tuple:
        return None
    key: list[tuple[Any, ...]] = []
    for item in raw:
        if type(item) is not dict:
            return None
        parts: list[tuple[str, type, Any]] = []
        for name, value in item.items():
            kind = type(value)
            if type(name) is not str:
                return None
            if kind is str or kind is int or kind is bool or value is None:
                parts.append((name, kind, value))
            elif kind is Decimal:
                parts.append((name, kind, str(value)))  # str keeps the exponent: equal is not identical
            else:
                return None
        key.append(tuple(parts))
    return tuple(key)


def _cache_for(
    cache: RuleCache | None,
    *,
    on: dt.date,
    jurisdiction: str | None,
    rounding: str,
    max_leaves: int,
    assess_options: dict[str, Any],
) -> RuleCache:
    """``cache`` when it was made with exactly these options; None: a new cache with them.

    :raises InvalidInput: an option of the call (``on``, ``jurisdiction``, ``rounding``, ``reform``,
        ``pins``, ...) differs from the cache's, named in the error; its results would be another's.
    """
    if cache is None:
        return RuleCache(on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, **assess_options)
    if not isinstance(cache, RuleCache):
        problem = "expected a tuoyu_rules.RuleCache, got {type}"
        raise InvalidInput.coded("cache", "error.batch.cache", problem, type=type(cache).__name__)
    asked: dict[str, Any] = {"on": on, "jurisdiction": jurisdiction, "rounding": rounding, **assess_options}
    made: dict[str, Any] = {"on": cache.on, "jurisdiction": cache.jurisdiction, **cache.options}
    for name in {**asked, **made}:
        mine, theirs = _normal(made.get(name)), _normal(asked.get(name))
        if mine is not theirs and mine != theirs:
            what = "day" if name == "on" else name
            problem = (
                "made for another {what}: {name}={made}, this call asks {name}={asked}; "
                "make the cache with the call's options (or pass no cache): its results would not be this call's"
            )
            shown = {"made": _shown(mine), "asked": _shown(theirs)}
            raise InvalidInput.coded("cache", "error.batch.cache_options", problem, what=what, name=name, **shown)
    return cache


def _normal(value: Any) -> Any:
    """An option as compared: an empty mapping (no pins) is the same as none."""
    return None if isinstance(value, Mapping) and not value else value


def _shown(value: Any) -> str:
    if isinstance(value, Reform):
        return f"the reform {value.name!r}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
