"""Budgets read straight into columns: a CSV file or a pyarrow Table by the column path, the row path's budget exactly.

:func:`tuoyu_rules.whatif.budget` comes here (:func:`budget_columns`) for a ``.csv`` path or a pyarrow Table, when
pyarrow is installed and no pinning strategy is asked; anything else is read row by row. A file is read by
``pyarrow.csv.open_csv`` in blocks of :data:`BLOCK_BYTES`, every column as text, joined into blocks of
:data:`CHUNK_ROWS` rows; a Table, :data:`CHUNK_ROWS` rows at a time (streaming: memory holds the blocks pyarrow reads
ahead, a block's columns, the caches and the running sums, whatever the length of the file). Per block, each column
is dictionary-encoded and each *distinct* cell made facility data by the CSV format's own rules
(:func:`tuoyu_rules.io.csv_row_data`, what the row path calls on each row; an empty cell is left out, its field takes
its default; a Table's typed cell is first made the text a file would hold, as ``arrow_rows`` makes it). The block is
validated by the column checker (:mod:`tuoyu_rules.batch.checker`: ``Facility``'s own validation per distinct value)
and walked through each scenario's :class:`~tuoyu_rules.batch.RuleCache` (:mod:`tuoyu_rules.batch.walk`); each
distinct stored result, with all its entries (programme, payer, basis, status, totals, received and owed, the open
reasons), is added to the scenario's running sums times its row count (a result whose count of children is handed
through: once per distinct count, ``_Leaf.at``): the sums the row path fills, so the budget is the row path's, ``==``.

**Bad rows** are read again by the row path itself: a file's by :func:`tuoyu_rules.io.read_csv` over the same file,
from the record's own line (the records before it skipped unread, their lines counted), a Table's as ``arrow_rows``
reads it: the same problem named by the same line (``errors="collect"``), the same :class:`~tuoyu_rules.io.RowError`
(``errors="raise"``). Where pyarrow and Python's ``csv`` module might split a file differently, the row path reads
the rest of it: from a block with a cell holding a quote or a line break (a quoted cell) or as long as ``csv``'s
field limit, or where pyarrow stops (a record with the wrong number of cells, text not UTF-8). A blank record (every
cell empty or spaces) is skipped, as the row path skips it. ``progress`` is told what the row path tells it.
"""

from __future__ import annotations

import csv
import functools
import importlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from ..batch.backends import Coded, _backend, _Column, _Numpy, _Python
from ..batch.checker import _Chunk
from ..batch.stream import PROGRESS_EVERY, Progress, with_progress
from ..batch.walk import _count, _Counts
from ..core.models import MAX_ID_LENGTH, Facility
from ..io.frames import _columns, _row, _text, is_arrow_table
from ..io.portfolio import _read_path, input_format_of, portfolio_rows
from ..io.problems import _CellError
from ..io.readers import _ID_COLUMN, Row, RowError, RowProblem, csv_row_data, read_csv

if TYPE_CHECKING:
    from ..batch.cache import RuleCache
    from ..batch.trie import _Leaf
    from .budgets import _Accumulator

__all__ = ["BLOCK_BYTES", "CHUNK_ROWS", "budget_columns"]

BLOCK_BYTES = 1 << 20
"""The bytes of a CSV file pyarrow reads as one batch (it reads up to 32 ahead: a bound on the memory held)."""
CHUNK_ROWS = 1 << 17
"""The rows taken as one block of columns: batches of a file joined, a Table's rows."""
_FIELD = "facilities"  # what a Table's row is named after (``facilities[3].enrolled``), as on the row path
_PLAIN_ID = f"^[ !#-~]{{1,{MAX_ID_LENGTH}}}$"  # a plain id (:func:`_plain`)
_UNREAD_CELLS = "(cells)"  # the checker's key for the rows with a cell the CSV rules refuse (never a field's name)


def _pyarrow() -> tuple[Any, ...] | None:
    """``pyarrow``, ``pyarrow.csv`` and ``pyarrow.compute``; None when pyarrow is not installed."""
    try:
        return tuple(importlib.import_module(name) for name in ("pyarrow", "pyarrow.csv", "pyarrow.compute"))
    except ImportError:
        return None


def budget_columns(
    facilities: object,
    scenarios: list[_Accumulator],
    caches: list[RuleCache],
    *,
    errors: str,
    kept: list[RowProblem],
    max_kept: int,
    progress: Progress | None,
) -> int | None:
    """Add every row of ``facilities`` to ``scenarios`` (each through its cache) by the column path; the number of
    bad rows, the first ``max_kept`` appended to ``kept``. None, having read nothing, when the column path does not
    apply: not a ``.csv`` path nor a pyarrow Table, pyarrow not installed, a file with no row or that pyarrow cannot
    open as the row path reads it. Raises as the row path raises (a bad header, a bad row with ``errors="raise"``).
    """
    table = is_arrow_table(facilities)
    path = isinstance(facilities, str | os.PathLike) and input_format_of(facilities) == "csv"
    arrow = _pyarrow() if table or path else None  # imported only for a form it reads
    if arrow is None:
        return None
    with_progress((), progress)  # a progress that is not a function: refused as on the row path
    sink = _Sink(scenarios, caches, errors, kept, max_kept, progress)
    if table:
        done = _table(facilities, _columns(list(facilities.column_names), _FIELD), sink, arrow)  # type: ignore[attr-defined]
    else:
        done = _file(facilities, sink, arrow)  # type: ignore[arg-type]
    if not done:
        return None
    sink.end()
    return sink.error_count


class _ByNumber(_Counts):
    """Rows counted at their stored results; at a result with counts handed through, per distinct numbers."""

    __slots__ = ("numbers",)
    by_number = True

    def __init__(self) -> None:
        super().__init__()
        self.numbers: dict[_Leaf, dict[tuple[Any, ...], int]] = {}

    def add_rows(self, ch: _Chunk, leaf: _Leaf, members: Any) -> None:
        if not leaf.scaled:
            self.add(leaf, ch.be.count(members))
            return
        cols = [ch.columns[name] for _, name in leaf.scaled]
        by = self.numbers.setdefault(leaf, {})
        for codes, size in ch.be.groups(members, cols).items:
            key = tuple(col.values[c] for col, c in zip(cols, codes, strict=True))
            by[key] = by.get(key, 0) + size


@dataclass
class _Sink:
    """Where rows go: each scenario's running sums (through its cache), the bad rows kept and counted, progress told
    (what the row path tells: every :data:`PROGRESS_EVERY` rows done, and the number of rows at the end)."""

    scenarios: list[_Accumulator]
    caches: list[RuleCache]
    errors: str
    kept: list[RowProblem]
    max_kept: int
    progress: Progress | None
    done: int = 0
    error_count: int = 0

    def __post_init__(self) -> None:
        self.validate: Callable[[Any], Facility] = self.caches[0].facility  # the row path's validator
        self.be = _backend("auto")
        self.counts = [_ByNumber() for _ in self.caches]
        """Per scenario, the rows counted at their stored results, added to the sums at :meth:`end` (each distinct
        result once, times its count, as the row path adds them)."""

    def told(self, done: int) -> None:
        """``done`` rows are done: progress told of every multiple of :data:`PROGRESS_EVERY` passed since."""
        if self.progress is not None:
            for k in range(self.done // PROGRESS_EVERY + 1, done // PROGRESS_EVERY + 1):
                self.progress(k * PROGRESS_EVERY)
        self.done = done

    def end(self) -> None:
        for acc, counts in zip(self.scenarios, self.counts, strict=True):
            for leaf, n in counts.rows.items():
                acc.add_entries(leaf.rest["entitlements"], leaf.rest["obligations"], times=n)
            for leaf, by in counts.numbers.items():
                for numbers, n in by.items():
                    rest = leaf.at(numbers).rest
                    acc.add_entries(rest["entitlements"], rest["obligations"], times=n)
        if self.progress is not None and (self.done == 0 or self.done % PROGRESS_EVERY):
            self.progress(self.done)

    def row(self, row: Row) -> None:
        """One row read by the row path, added as the row path adds it (a bad one raised, or kept and counted)."""
        facility = row.facility
        if facility is None:
            problem = row.problem or RowProblem(row=row.number, field="(row)", message="no facility")
            if self.errors == "raise":
                raise RowError.of(problem)
            self.error_count += 1
            if len(self.kept) < self.max_kept:
                self.kept.append(problem)
            return
        for counts, cache in zip(self.counts, self.caches, strict=True):
            counts.add(cache.leaf(facility), 1)

    def block(self, columns: dict[str, Coded], unread: Any, n: int, row_of: Callable[[int], Row]) -> None:
        """A block of ``n`` rows as columns (``unread``: its rows with a cell the CSV rules refuse): its bad rows
        read by the row path (``row_of``: the row path's row of the portfolio's row ``i``, from 0), the rest counted."""
        ch = _Chunk(columns, self.be)
        if self.be.count(unread):
            ch.refused[_UNREAD_CELLS] = unread
        start = self.done
        for i in ch.verdict() if ch.refused else ():
            self.told(start + i)
            self.row(row_of(start + i))
        self.told(start + n)
        for counts, cache in zip(self.counts, self.caches, strict=True):
            _count(ch, cache, counts)


def _cells(column: str, raw: list[Any], typed: bool) -> tuple[str, list[Any], list[bool]]:
    """The field of CSV ``column``, and each distinct cell of it as that field's data by the CSV format's rules (the
    field's default for an empty cell), with whether it could be read. ``typed``: a Table's cells, made text first."""
    field = "id" if column == _ID_COLUMN else column
    info = Facility.model_fields.get(field)
    default = None if info is None or info.is_required() else info.get_default(call_default_factory=True)
    values: list[Any] = []
    ok: list[bool] = []
    for cell in raw:
        try:
            data: dict[str, Any] | None = csv_row_data({column: _text(cell) if typed else cell})
        except _CellError:
            data = None
        values.append(default if data is None else data.get(field, default))
        ok.append(data is not None)
    return field, values, ok


def _encode(
    batch: Any, names: list[str], be: _Python | _Numpy, arrow: tuple[Any, ...], limit: int | None
) -> tuple[Any, dict[str, Coded], Any] | None:
    """A batch's columns as facility data (:func:`_cells`), and the rows with a cell that cannot be read. With a
    ``limit``, a file's batch: its blank rows dropped first (every cell empty or spaces: no record for the row path);
    None if a cell holds a quote or a line break, or is ``limit`` bytes long or more. Returns the batch (less its
    blank rows), its columns and its unread rows."""
    pa, _, pc = arrow
    given = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in batch.columns]
    kept = [j for j, column in enumerate(names) if column != _ID_COLUMN or not _plain(given[j], pa, pc)]
    encoded = [pc.dictionary_encode(given[j], null_encoding="encode") for j in kept]
    raw = [e.dictionary.to_pylist() for e in encoded]
    if limit is not None:
        for e in encoded:
            if len(e.dictionary) and (
                pc.any(pc.match_substring_regex(e.dictionary, '["\\r\\n]')).as_py()
                or pc.max(pc.binary_length(e.dictionary)).as_py() >= limit
            ):
                return None
        flags = [[not text.strip() for text in cells] for cells in raw]
        if len(kept) == len(names) and all(any(f) for f in flags):  # perhaps a blank row: each column has a blank
            blank = functools.reduce(
                pc.and_, (pc.take(pa.array(f, pa.bool_()), e.indices) for f, e in zip(flags, encoded, strict=True))
            )
            if pc.any(blank).as_py():
                return _encode(batch.filter(pc.invert(blank)), names, be, arrow, limit)
    columns: dict[str, Coded] = {}
    unread: list[Any] = []
    for column, e, cells in zip([names[j] for j in kept], encoded, raw, strict=True):
        codes = e.indices.to_numpy(zero_copy_only=False) if isinstance(be, _Numpy) else e.indices.to_pylist()
        field, values, ok = _cells(column, cells, typed=limit is None)
        columns[field] = Coded(codes, values)
        if not all(ok):
            unread.append(be.bad(_Column(codes, values, ok)))
    return batch, columns, be.concat(unread)


def _plain(column: Any, pa: Any, pc: Any) -> bool:
    """Whether each cell of a ``facility_id`` column is empty (a Table's null) or a plain id: printable ASCII but the
    quote, 1 to ``MAX_ID_LENGTH`` characters, not all spaces: a valid ``Facility.id`` (a test checks it against
    Facility's validator). No rule reads an id: such a column is left out of the checker's (a million distinct ids
    are not validated one by one); any other is checked as every column is."""
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        return False
    plain = pc.and_(pc.match_substring_regex(column, _PLAIN_ID), pc.match_substring_regex(column, "[!#-~]"))
    return pc.all(pc.or_kleene(plain, pc.is_null(column))).as_py() is not False


def _table(table: Any, names: list[str], sink: _Sink, arrow: tuple[Any, ...]) -> bool:
    """Add a pyarrow Table's rows (named by their index from 0, as ``arrow_rows`` names them); False, having added
    nothing, when a column's type cannot be dictionary-encoded."""
    pa, _, pc = arrow
    try:
        for column in table.columns:
            typed = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
            pc.dictionary_encode(pa.array([], typed))
    except pa.ArrowException:
        return False
    for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
        start = sink.done

        def row_of(position: int, batch: Any = batch, start: int = start) -> Row:
            record = {c: _text(batch.column(j)[position - start].as_py()) for j, c in enumerate(names)}
            return _row(position, record, sink.validate, f"{_FIELD}[{position}]")

        encoded = _encode(batch, names, sink.be, arrow, limit=None)
        assert encoded is not None  # no limit: never refused
        sink.block(*encoded[1:], batch.num_rows, row_of)
    return True


def _file(path: str | os.PathLike[str], sink: _Sink, arrow: tuple[Any, ...]) -> bool:
    """Add a CSV file's rows (named by their lines); False, having added nothing, when pyarrow cannot read it as the
    row path does from its start (an empty file, a header pyarrow reads otherwise, a first block it refuses)."""
    pa, pcsv, _ = arrow
    rows = iter(portfolio_rows(path, validate=sink.validate))
    try:  # the row path's own checks of the file and its header, raised as it raises them
        if next(rows, None) is None:
            return False
    finally:
        getattr(rows, "close", lambda: None)()
    with open(path, encoding="utf-8-sig", newline="") as stream:  # opened a moment ago by the row path
        header = next(csv.reader(stream))
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
        )
    except pa.ArrowException:
        return False
    if reader.schema.names != header or any(t != pa.string() for t in reader.schema.types):
        return False
    names = [h.strip() for h in header]
    names[0] = names[0].removeprefix("\ufeff")  # as read_csv reads it
    lines = _Lines(path, sink.validate)
    limit = csv.field_size_limit()
    try:
        for joined in _joined(reader, pa):
            encoded = None if joined is None else _encode(joined, names, sink.be, arrow, limit)
            if encoded is None:  # the rest by the row path (see the module's docs)
                for row in lines.rest(sink.done):
                    sink.told(sink.done)
                    sink.row(row)
                    sink.done += 1
                break
            batch, columns, unread = encoded
            sink.block(columns, unread, batch.num_rows, lines.row)  # a record's index is its row's (blanks dropped)
    finally:
        lines.close()
    return True


def _joined(reader: Any, pa: Any) -> Iterator[Any]:
    """The reader's batches joined into batches of :data:`CHUNK_ROWS` rows or more (the last may have fewer); None
    where pyarrow stops (the batches read since the last one given are dropped: the row path reads them again)."""
    pending: list[Any] = []
    size = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowException:
            yield None
            return
        pending.append(batch)
        size += batch.num_rows
        if size >= CHUNK_ROWS:
            yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
            pending, size = [], 0
    if size:
        yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]


def _counted(stream: Iterable[str], count: list[int]) -> Iterator[str]:
    """The lines of ``stream``, counted in ``count[0]``."""
    for line in stream:
        count[0] += 1
        yield line


def _line_rows(
    stream: Iterable[str], plan: deque[tuple[int, int | None]], validate: Callable[[Any], Facility]
) -> Iterator[Row]:
    """The row path over an open CSV file, as ``plan`` says: each step skips that many records unread (counting their
    lines; a blank record is no record, as for :func:`read_csv`), then reads that many (None: the rest) by
    :func:`read_csv`, each numbered by the line of the file it starts on."""
    count = [0]
    lines = _counted(stream, count)
    raw = csv.reader(lines)
    head = [",".join(next(raw)).strip() + "\n"]  # the header (checked by the row path already), as one line
    while plan:
        skip, take = plan.popleft()
        while skip:
            try:
                cells = next(raw)
            except csv.Error:  # pragma: no cover - a record read_csv makes a row problem of (the rest's only)
                skip -= 1
                continue
            if any(c.strip() for c in cells):
                skip -= 1
        moved = count[0] - 1
        for row in islice(read_csv(chain(head, lines), validate=validate), take):
            problem = row.problem and row.problem.model_copy(update={"row": row.problem.row + moved})
            yield Row(row.number + moved, row.facility, problem)


class _Lines:
    """The row path over the same file, opened when a row needs it: bad rows read again, with their lines."""

    def __init__(self, path: str | os.PathLike[str], validate: Callable[[Any], Facility]) -> None:
        self.plan: deque[tuple[int, int | None]] = deque()
        self.at = 0  # records passed so far
        self.rows = _read_path(path, functools.partial(_line_rows, plan=self.plan, validate=validate), _FIELD)

    def row(self, record: int) -> Row:
        """The row path's row of record ``record`` (from 0, blank records not counted), at or after the last asked."""
        self.plan.append((record - self.at, 1))
        self.at = record + 1
        return next(self.rows)

    def rest(self, record: int) -> Iterator[Row]:
        self.plan.append((record - self.at, None))  # from record ``record`` to the end
        return self.rows

    def close(self) -> None:
        getattr(self.rows, "close", lambda: None)()
