"""Portfolio budgets: many facilities, totals by payer and by programme, baseline and reforms side by side.

:func:`budget` takes a portfolio in any form (Facility objects or plain dicts in a list or a generator, a CSV or
JSON Lines path, a pandas DataFrame: :func:`tuoyu_rules.whatif.rows.portfolio_rows`) and assesses each facility
once per *scenario*: the law as it stands (the baseline) and each :class:`~tuoyu_rules.Reform` given.
It keeps running sums only, so its memory is flat in the number of facilities. For each scenario it reports:

* totals by payer and basis (:class:`~tuoyu_rules.PayerTotal`): eligible amounts summed as ranges (a
  bound with no upper limit keeps the total open above), undetermined entries counted apart, never as 0;
* totals by programme (:class:`ProgramTotal`): the sum, and how many facilities were eligible, ineligible
  or undetermined, with the facts that would decide the open ones (:class:`OpenReason`);
* the facilities counted;
* beside each sum, what was paid and what is still owed (``received`` and ``owed``, from each facility's receipts,
  ``Facility.received``): ``received`` adds the entries' receipts in their basis periods whatever their status,
  ``owed`` adds the eligible entries' ``owed`` (the part of ``amount`` not yet received; a one-time grant paid once
  is owed 0). See :mod:`tuoyu_rules.core.receipts`.

Budgets add each entry's ``total``, never its rate: a per-child-month programme (Hangzhou's and Sichuan's 普惠
subsidies, Siming's allowance) is summed as the facilities' monthly sums, rate times the children each rule
counts, under the basis ``per_month``, and :attr:`ProgramTotal.children` says how many children that is. An
eligible per-child entry whose count the caller did not supply has no monthly sum: it is counted as
undetermined, with the missing count among its open reasons, never as 0 and never guessed.

Amounts are never mixed across bases: a one-time amount, a yearly amount and a monthly sum are different
things (see :mod:`tuoyu_rules.whatif.projection` to turn them into money over a period). With ``strategy=``
each facility's ranges are pinned first (:func:`tuoyu_rules.whatif.pin`), giving point figures where the
sources allow and leaving the rest open. With ``jurisdiction=`` every facility is assessed under that city's rules
instead of its own (a what-if move, as :func:`tuoyu_rules.assess` makes it); ``progress=`` is told the rows read as
the budget goes (:mod:`tuoyu_rules.batch.stream`). The result types are in :mod:`tuoyu_rules.whatif.budget_results`.

A CSV file or a pyarrow Table, when pyarrow is installed and no ``strategy`` is asked, is read straight into columns
and summed by the column path (:mod:`tuoyu_rules.whatif.budget_columns`): the same budget, exactly, at column speed;
its bad rows are read again by the row path, so they are reported as below. The facilities may come from a
portfolio file, read row by row by :func:`tuoyu_rules.io.read_csv` or
:func:`tuoyu_rules.io.read_jsonl` (see :mod:`tuoyu_rules.io.readers` for the columns), which yield
:class:`~tuoyu_rules.io.Row` objects: a facility, or the problem with the row.

Bad rows: by default (``errors="raise"``) the first bad row raises :class:`~tuoyu_rules.io.RowError`,
naming the row by the line of the file it starts on (the CSV header is line 1; see
:mod:`tuoyu_rules.io.readers`) and the field. With ``errors="collect"`` bad rows are skipped and reported in
:attr:`Budget.errors` (the first :data:`MAX_KEPT_ERRORS`, and :attr:`Budget.error_count` in all), so a long
file with a few bad rows still gives a budget that says exactly what it left out: every form of the result
(JSON, table, CSV, DataFrame, Excel) carries the count of facilities summed and of rows left out. A hostile
row (a 5,000-digit number, JSON nested 100,000 deep, a key given twice) is one bad row like any other.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

from ..batch.cache import RuleCache
from ..batch.stream import Progress, with_progress
from ..core.amounts import AmountRange
from ..core.engine import assess
from ..core.errors import InvalidInput, WrongType
from ..core.messages import DEFAULT_LANG, Lang, check_lang
from ..core.models import Facility, locate
from ..core.money import DEFAULT_ROUNDING, check_rounding, in_money_context
from ..core.policy import Basis
from ..core.reforms import Reform
from ..core.results import Assessment, PayerTotal, _Entry
from ..io.readers import Row, RowError, RowProblem
from .budget_columns import budget_columns
from .budget_results import Budget, OpenReason, ProgramTotal, ScenarioBudget
from .pinning import check_strategy, pin
from .rows import portfolio_rows

MAX_KEPT_ERRORS = 100
"""With ``errors="collect"``, at most this many row errors are kept (all are counted)."""

ErrorPolicy = Literal["raise", "collect"]
_ERROR_POLICIES = {"first": "'raise'", "second": "'collect'"}
"""The two error policies, as an error names them."""


class DataFrameLike(Protocol):
    """A pandas DataFrame as :func:`budget` reads it (typed without importing pandas)."""

    @property
    def columns(self) -> Any:
        """The column names."""

    def itertuples(self, index: bool = ..., name: str | None = ...) -> Iterable[tuple[Any, ...]]:
        """The rows as tuples, the index label first."""


Portfolio = Facility | Iterable[Facility | Row | Mapping[str, Any]] | str | os.PathLike[str] | DataFrameLike
"""What :func:`budget` reads: see :func:`tuoyu_rules.whatif.rows.portfolio_rows`."""

__all__ = ["MAX_KEPT_ERRORS", "budget", "portfolio_budget"]


@dataclass(slots=True)
class _Range:
    low: Decimal = Decimal("0.00")
    high: Decimal | None = Decimal("0.00")

    def add(self, amount: AmountRange, times: int = 1) -> None:
        """Add ``amount`` ``times`` times (exact: a whole multiple of an amount in fen)."""
        if times == 1:
            self.low += amount.low
            self.high = None if self.high is None or amount.high is None else self.high + amount.high
            return
        self.low += amount.low * times
        self.high = None if self.high is None or amount.high is None else self.high + amount.high * times

    def range(self) -> AmountRange:
        return AmountRange.model_construct(low=self.low, high=self.high, allowed=None)


@dataclass(slots=True)
class _Sum(_Range):
    """An eligible sum, what was received (every status) and what is owed of it (eligible entries)."""

    undetermined: int = 0
    received: Decimal = Decimal("0.00")
    owed: _Range = field(default_factory=_Range)

    def add_entry(self, e: _Entry, times: int = 1) -> None:
        self.add(e.total, times)
        self.owed.add(e.owed, times)


@dataclass(slots=True)
class _ProgramSum:
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    total: _Sum = field(default_factory=_Sum)
    children: int | None = None
    eligible: int = 0
    ineligible: int = 0
    undetermined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Accumulator:
    """Running sums for one scenario: bounded by the number of payers and programmes, not of rows."""

    name: str
    reform: Reform | None
    facilities: int = 0
    payers: dict[tuple[str, str], _Sum] = field(default_factory=dict)
    programs: dict[tuple[str, str], _ProgramSum] = field(default_factory=dict)

    def add(self, a: Assessment) -> None:
        self.add_entries(a.entitlements, a.obligations)

    def add_entries(self, entitlements: tuple[_Entry, ...], obligations: tuple[_Entry, ...], times: int = 1) -> None:
        """Add one facility's entries (an assessment's, or a :class:`RuleCache`'s stored result's), ``times`` times:
        the same result of that many facilities, added at once (exact: whole multiples)."""
        self.facilities += times
        for kind, entries in (("entitlement", entitlements), ("obligation", obligations)):
            for e in entries:
                # Totals, never rates: a per-child-month entry adds its monthly sum (rate times children).
                key = (e.payer, e.total_basis)
                psum = self.payers.setdefault(key, _Sum())
                pkey = (e.program, e.payer)  # a programme paid by "the province above" has one payer per province
                prog = self.programs.get(pkey)
                if prog is None:
                    prog = self.programs[pkey] = _ProgramSum(kind, e.payer, e.total_basis)  # type: ignore[arg-type]
                status = e.total_status  # an eligible per-child entry with no count: undetermined here
                received = e.received if times == 1 else e.received * times
                psum.received += received  # what was paid in the basis period, whatever the status
                prog.total.received += received
                if status == "eligible":
                    psum.add_entry(e, times)
                    prog.total.add_entry(e, times)
                    prog.eligible += times
                    if e.children is not None:
                        prog.children = (prog.children or 0) + e.children * times
                elif status == "undetermined":
                    psum.undetermined += times
                    prog.undetermined += times
                    for reason in e.missing or e.reasons[:1] or ("no reason given",):
                        prog.reasons[reason] = prog.reasons.get(reason, 0) + times
                else:
                    prog.ineligible += times

    def result(self) -> ScenarioBudget:
        by_payer = tuple(
            PayerTotal(
                payer=payer,
                basis=basis,
                amount=s.range(),
                undetermined=s.undetermined,
                received=s.received,
                owed=s.owed.range(),
            )
            for (payer, basis), s in sorted(self.payers.items())
        )
        by_program = tuple(
            ProgramTotal(
                program=pid,
                kind=p.kind,
                payer=p.payer,
                basis=p.basis,
                amount=p.total.range(),
                received=p.total.received,
                owed=p.total.owed.range(),
                children=p.children,
                eligible=p.eligible,
                ineligible=p.ineligible,
                undetermined=p.undetermined,
                open_reasons=tuple(OpenReason(reason=r, count=n) for r, n in sorted(p.reasons.items())),
            )
            for (pid, _), p in sorted(self.programs.items())
        )
        return ScenarioBudget(
            name=self.name,
            reform=None if self.reform is None else self.reform.name,
            facilities=self.facilities,
            by_payer=by_payer,
            by_program=by_program,
        )


@in_money_context
def budget(
    facilities: Portfolio,
    *,
    on: dt.date,
    reforms: Sequence[Reform] = (),
    baseline: bool = True,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    strategy: str | None = None,
    errors: ErrorPolicy = "raise",
    lang: Lang = DEFAULT_LANG,
    progress: Progress | None = None,
) -> Budget:
    """Sum the assessments of many facilities, under the law and each of ``reforms``, side by side.

    :param facilities: the portfolio in any form of :func:`tuoyu_rules.whatif.rows.portfolio_rows`: Facility
        objects, plain dicts, :class:`Row` objects from :func:`read_csv` / :func:`read_jsonl`, a ``.csv``,
        ``.jsonl`` or ``.ndjson`` path, or a pandas DataFrame with the CSV columns; read once, lazily (memory
        stays flat in the number of rows). The same facilities in any form give the same budget.
    :param reforms: what-if overlays; each gives one more scenario, named after the reform.
    :param baseline: include the law as it stands as the first scenario (named ``baseline``).
    :param jurisdiction: what-if: apply this city's rules to every facility instead of its own (as
        ``tr.assess(..., jurisdiction=...)`` does); None: each facility's own.
    :param strategy: pin each facility's ranges with ``low``/``mid``/``high`` first (see
        :func:`tuoyu_rules.whatif.pin`); ``None`` keeps ranges.
    :param errors: ``raise`` (default): a bad row raises :class:`RowError`; ``collect``: skip and report it.
    :param lang: the language of the open reasons taken from the assessments (``"zh"`` or ``"en"``).
    :param progress: a function called with the number of rows read so far (a bad row included): every
        :data:`~tuoyu_rules.batch.stream.PROGRESS_EVERY` (1,000) rows, and once when the portfolio is read. It
        is told counts only; the budget is the same with it or without.

    The totals of each scenario equal the sums of the individual assessments (a tested property).
    """
    check_rounding(rounding)
    lang = check_lang(lang)
    if errors not in ("raise", "collect"):
        template = "{value}; use {first} or {second}"
        raise InvalidInput.coded("errors", "error.budget.errors", template, value=repr(errors), **_ERROR_POLICIES)
    if isinstance(reforms, Reform):
        reforms = (reforms,)
    elif not isinstance(reforms, Iterable):  # issue 15: one error family (was a TypeError)
        template = "a list of tuoyu_rules.Reform, not a {type}"
        raise WrongType.coded("reforms", "error.budget.reforms", template, type=type(reforms).__name__)
    for i, r in enumerate(reforms):
        if not isinstance(r, Reform):
            template = "expected a tuoyu_rules.Reform, got {type}"
            raise InvalidInput.coded(f"reforms[{i}]", "error.arg.reform", template, type=type(r).__name__)
    names = [r.name for r in reforms]
    if len(set(names)) != len(names) or "baseline" in names:
        template = "each reform needs a distinct name, other than {baseline}"
        raise InvalidInput.coded("reforms", "error.budget.reform_names", template, baseline="'baseline'")
    if strategy is not None:
        check_strategy(strategy)
    if jurisdiction is not None:
        locate(jurisdiction)  # an unknown id, a province or a bad code: refused once, not once per row
    scenarios: list[_Accumulator] = []
    if baseline:
        scenarios.append(_Accumulator("baseline", None))
    scenarios += [_Accumulator(r.name, r) for r in reforms]
    if not scenarios:
        template = "nothing to budget: {setting} and no reform"
        raise InvalidInput.coded("reforms", "error.budget.nothing", template, setting="baseline=False")
    # Without a pinning strategy, each scenario's results come from a fact-keyed cache (tr.RuleCache): equal to
    # tr.assess row by row (the cache's tested property), and a portfolio's many alike facilities run the engine
    # once. A strategy pins each facility's ranges by assessing it twice (tr.pin), which the cache does not do.
    caches = (
        None
        if strategy is not None
        else [
            RuleCache(on=on, jurisdiction=jurisdiction, rounding=rounding, reform=acc.reform, lang=lang)
            for acc in scenarios
        ]
    )
    counted: list[dict[tuple[int, int], tuple[tuple[tuple[_Entry, ...], tuple[_Entry, ...]], int]]] = [
        {} for _ in scenarios
    ]
    kept: list[RowProblem] = []
    error_count = 0
    # A CSV path or a pyarrow Table, with pyarrow installed: read straight into columns, the same budget exactly.
    by_columns = None
    if caches is not None:
        by_columns = budget_columns(
            facilities, scenarios, caches, errors=errors, kept=kept, max_kept=MAX_KEPT_ERRORS, progress=progress
        )
    if by_columns is not None:  # every row is added: the row path below has none left to read
        error_count, facilities, progress = by_columns, (), None
    # The cache's validator gives Facility.model_validate's answers (its tested property), with a row's
    # designations validated once per distinct list.
    rows = portfolio_rows(facilities, validate=Facility.model_validate if caches is None else caches[0].facility)
    for row in with_progress(rows, progress):
        facility = row.facility
        if facility is None:
            problem = row.problem or RowProblem(row=row.number, field="(row)", message="no facility")
            if errors == "raise":
                raise RowError.of(problem)  # with the problem's code: told in Chinese too
            error_count += 1
            if len(kept) < MAX_KEPT_ERRORS:
                kept.append(problem)
            continue
        if caches is not None:  # count each distinct stored result; add it once, times its count, at the end
            for counts, cache in zip(counted, caches, strict=True):
                found = cache.entries(facility)
                key = (id(found[0]), id(found[1]))  # the stored result's own tuples (kept alive in counts)
                seen = counts.get(key)
                counts[key] = (found, 1 if seen is None else seen[1] + 1)
            continue
        for acc in scenarios:
            acc.add(_assess_one(facility, on, jurisdiction, rounding, acc.reform, strategy, lang))
    for acc, counts in zip(scenarios, counted, strict=True):
        for (entitlements, obligations), n in counts.values():
            acc.add_entries(entitlements, obligations, times=n)
    return Budget(
        on=on,
        rounding=rounding,
        strategy=strategy,
        scenarios=tuple(acc.result() for acc in scenarios),
        errors=tuple(kept),
        error_count=error_count,
    )


portfolio_budget = budget
"""The same function as :func:`budget`, also exported as ``tuoyu_rules.portfolio_budget`` (the name it had
when ``tuoyu_rules.budget`` was a module, which shadowed a top-level function called ``budget``)."""


def _assess_one(
    facility: Facility,
    on: dt.date,
    jurisdiction: str | None,
    rounding: str,
    reform: Reform | None,
    strategy: str | None,
    lang: Lang,
) -> Assessment:
    options: dict[str, Any] = {"jurisdiction": jurisdiction, "rounding": rounding, "reform": reform, "lang": lang}
    if strategy is None:
        return assess(facility, on=on, **options)
    return pin(facility, on=on, strategy=strategy, **options).assessment
