"""The batch command of the ``tuoyu`` command line: ``assess-many``, one result per row of a portfolio.

``tuoyu assess-many FILE --on YYYY-MM-DD [--format ndjson|csv] [--input-format csv|jsonl] [--jurisdiction ID]
[--rounding MODE] [--strict]`` reads a portfolio (CSV or JSON Lines; ``-`` reads standard input and needs
``--input-format``; ``--example NAME`` a bundled portfolio) and writes one result per row, in input order,
through :func:`tuoyu_rules.whatif.rows.assess_rows` (one fact-keyed cache for the whole file):

* ``ndjson`` (default): one JSON object per line, ``{"line", "facility_id", "assessment"}`` with exactly
  ``Assessment.model_dump(mode="json")``, or ``{"line", "facility_id", "error": {"field", "message"}}``;
* ``csv``: :data:`~tuoyu_rules.whatif.rows.ROW_COLUMNS`, one row per entitlement and obligation (the
  entries table of ``tr.to_csv(assessment)``, headed by the line and facility id), a bad row as one row with
  ``error_field`` and ``error``.

Then, after all of standard output, one summary line on standard error:
``tuoyu: assess-many: N rows read, N assessed, N errors`` (and, while it runs, a progress line on standard error
when it is a terminal: :mod:`~tuoyu_rules.cli.progress`). A bad row never stops the run. Exit status 0, bad
rows included (they are in the output and the summary); with ``--strict``, 2 when any row could not be
assessed. Bad arguments, a file that cannot be read or a wrong CSV header: 2 and one error line, as every
command. Rows stream in and results stream out (the output is written as it goes, a million characters at a
time), so memory stays flat however long the file. With ``--lang zh`` the CSV headers and the summary line are in
Chinese (the cells and the JSON are the same in both languages, reasons aside).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..core.messages import Lang, msg
from ..io.export import csv_cell, csv_writer, headers
from ..whatif.rows import ROW_COLUMNS, AssessedRow, InputFormat, assess_rows
from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    BadInput,
    add_file_or_example,
    add_rounding,
    date_arg,
    file_or_example,
    row_problem_text,
)
from .lang import said
from .progress import clear, progress_bar

_SUFFIX = ".jsonl"
"""The bundled example portfolios are ``<name>.jsonl``."""

SPILL_CHARS = 1 << 20
"""Output gathered before it is written out (a million characters): memory stays flat whatever the row count."""


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``assess-many`` to the ``tuoyu`` subcommands."""
    m = sub.add_parser("assess-many", help="assess every facility of a portfolio (CSV or JSON Lines), one result a row")
    add_file_or_example(
        m,
        "portfolio file (.csv, .jsonl, .ndjson), or - for standard input (with --input-format)",
        "use a bundled example portfolio (e.g. portfolio_xiamen)",
    )
    m.add_argument("--on", type=date_arg, required=True, help="the day whose rules apply, YYYY-MM-DD")
    m.add_argument("--format", choices=("ndjson", "csv"), default="ndjson", help="output: JSON Lines or CSV")
    m.add_argument(
        "--input-format",
        "--input",
        dest="input",
        choices=("csv", "jsonl"),
        help="input format (default: from the file's suffix; needed for -)",
    )
    m.add_argument("--jurisdiction", help="what-if: apply this city's rules to every row")
    add_rounding(m)
    m.add_argument("--strict", action="store_true", help="exit with status 2 when any row could not be assessed")
    m.set_defaults(func=_cmd_assess_many)


@contextmanager
def _source(args: argparse.Namespace, stdin: TextIO) -> Iterator[tuple[Any, InputFormat | None]]:
    """The portfolio to read and its format, if known (a bundled example is opened and closed here)."""
    missing = msg("cli.file.no_portfolio", file="FILE", csv=".csv", jsonl=".jsonl", stdin="'-'", option="--example")
    source = file_or_example(args, _SUFFIX, "portfolio", missing)
    if not isinstance(source, str):
        with source.open(encoding="utf-8") as stream:
            yield stream, "jsonl"
        return
    if source == "-":
        if args.input is None:
            first, second = "--input-format csv", "--input-format jsonl"
            raise BadInput(msg("cli.file.stdin_format", stdin="-", first=first, second=second))
        yield stdin, args.input
        return
    yield source, args.input


def _cmd_assess_many(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    ndjson = args.format == "ndjson"
    read = assessed = 0
    with _source(args, stdin) as (source, kind), progress_bar("assess-many") as bar:
        rows = assess_rows(
            source,
            on=args.on,
            jurisdiction=args.jurisdiction,
            rounding=args.rounding,
            input_format=kind,
            output="json" if ndjson else "assessment",
            lang=args.lang,
            progress=bar,
        )
        text_of = _ndjson_text if ndjson else _CsvText(args.lang).text
        pending: list[str] = [] if ndjson else [_CsvText.header(args.lang)]
        size = 0
        for row in rows:
            read += 1
            assessed += row.ok
            text = text_of(row)
            pending.append(text)
            size += len(text)
            if size >= SPILL_CHARS:
                clear(bar)  # the output may go to the same terminal: it starts on a clean line
                if not _spill(out, "".join(pending)):
                    return EXIT_OK  # standard output is gone: stop (the status is the output's)
                pending.clear()
                size = 0
    if not _spill(out, "".join(pending)):
        return EXIT_OK
    errors = read - assessed
    counts = {"read": read, "assessed": assessed, "errors": errors}
    sys.stderr.write(said(msg("cli.assess_many.summary", command="tuoyu", name="assess-many", **counts)) + "\n")
    return EXIT_BAD_INPUT if args.strict and errors else EXIT_OK


def _ndjson_text(row: AssessedRow) -> str:
    return row.to_json() + "\n"


_OWN = 2
"""The first two columns of :data:`~tuoyu_rules.whatif.rows.ROW_COLUMNS`, ``line`` and ``facility_id``, are the
row's own; the others are its stored result's."""


class _CsvText:
    """Rows of :data:`~tuoyu_rules.whatif.rows.ROW_COLUMNS` as CSV text, written as every export writes CSV.

    The CSV text of a stored result's cells (every column after ``line`` and ``facility_id``), keyed by its
    jurisdiction and the identity of its entries (the cache hands every row with that result the same entry
    objects), is made once and kept (at most :attr:`MEMO_RESULTS` results); a row's lines are its own two cells
    followed by that text. Making the cells of the amounts is most of the cost of a row, and most rows of a
    portfolio share a result. A line holding a carriage return is written whole, as the export writer quotes
    every cell of such a line.
    """

    MEMO_RESULTS = 10_000
    ERROR = ROW_COLUMNS.index("error")

    def __init__(self, lang: Lang = "en") -> None:
        self._lang = lang
        self._buffer = io.StringIO()
        self._writer = csv_writer(self._buffer)
        self._memo: dict[tuple[object, ...], tuple[tuple[object, ...], list[list[str]], list[str] | None]] = {}

    @staticmethod
    def header(lang: Lang) -> str:
        """The header line, in ``lang``."""
        return _CsvText()._text([[csv_cell(c) for c in headers(ROW_COLUMNS, lang)]])

    def text(self, row: AssessedRow) -> str:
        """The CSV lines of one result: its :meth:`~tuoyu_rules.whatif.rows.AssessedRow.table_rows`."""
        a = row.assessment
        if a is None:
            cells = [csv_cell(c) for c in row.table_rows()[0]]
            if row.error is not None:  # the problem in the language asked
                cells[self.ERROR] = csv_cell(row_problem_text(row.error, self._lang))
            return self._text([cells])
        entries = (*a.entitlements, *a.obligations)
        key = (a.jurisdiction, len(a.entitlements), *map(id, entries))
        known = self._memo.get(key)
        if known is None:
            tails = [[csv_cell(c) for c in cells[_OWN:]] for cells in row.table_rows()]
            lines = None if any("\r" in c for t in tails for c in t) else [self._text([t]) for t in tails]
            if len(self._memo) >= self.MEMO_RESULTS:
                self._memo.clear()
            known = self._memo[key] = (entries, tails, lines)  # the entries kept alive: their ids are not reused
        _, tails, lines = known
        own = [csv_cell(row.line), csv_cell(row.facility_id)]
        head = self._text([own])
        if lines is None or "\r" in head:
            return self._text([*own, *tail] for tail in tails)
        return "".join(head[:-1] + "," + line for line in lines)

    def _text(self, rows: Iterable[list[str]]) -> str:
        for cells in rows:
            self._writer.writerow(cells)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text


def _spill(out: TextIO, text: str) -> bool:
    """Write ``text`` after what ``out`` has gathered, at once when ``out`` is ``tuoyu``'s own buffer (which
    writes it to standard output); False when standard output is gone."""
    spill = getattr(out, "spill", None)
    if spill is None:
        out.write(text)
        return True
    return bool(spill(text))
