"""What-if commands for the ``tuoyu`` command line: ``budget``, ``project``, ``whatif`` and ``sweep``.

The ``tuoyu_rules.cli.app`` parser adds them through ``add_commands(sub)``. Each handler reads its files here
(the I/O layer) and calls the pure functions of :mod:`tuoyu_rules.whatif` (budgets, projections, pinning and
sweeps).

* ``tuoyu budget FILE --on D [--reform R ...] [--strategy low|mid|high] [--errors raise|collect]
  [--chart FILE.png|FILE.svg] [--format table|json|csv]``: a portfolio (CSV or JSON Lines, streamed row by row;
  ``-`` is standard input and needs ``--input``), baseline and reforms side by side, by payer and by programme;
  ``--chart`` also draws it (the extra ``charts``).
* ``tuoyu project FILE --start D --end D [--enrolment N] [--prorate] [--one-time-on D] [--reform R]
  [--pin P=A ...] [--format table|json|csv]``: one facility's money by year and payer over a period.
* ``tuoyu whatif FILE --on D --reform R [--cities ID ... | --all-cities] [--strategy S]
  [--format table|json|csv]``: one facility under the law and under a reform, by city.
* ``tuoyu sweep FILE --on D --parameter NAME --values LOW-HIGH ... [--strategy S] [--format ...]``: one
  parameter over several ranges (``20000-30000``; ``20000-`` for no upper bound; ``20000`` for one amount);
  FILE is a facility (``.json``) or a portfolio (``.csv``, ``.jsonl``).

Every command takes ``--example NAME`` in place of FILE (a bundled facility, or for ``budget`` and ``sweep`` a
bundled portfolio: ``tuoyu examples`` lists them), and ``--reform`` takes a file or the name of a bundled reform.
``budget``, ``sweep`` and ``project`` take ``--jurisdiction ID`` (what-if: that city's rules for every facility;
``whatif`` has ``--cities``). While a command runs, a progress line is drawn on standard error when it is a
terminal (:mod:`~tuoyu_rules.cli.progress`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ..core.errors import PluginError
from ..core.messages import Message, check_lang, msg
from ..core.models import Facility
from ..core.reforms import Reform
from ..io import tables
from ..io.export import csv_cell, csv_writer, headers
from ..whatif import Budget, Projection, budget, charts, project, read_csv, read_jsonl, sweep
from ..whatif.comparison import usable_cities
from ..whatif.rows import input_format_of
from .common import (
    FACILITY,
    REFORM,
    BadInput,
    add_file_or_example,
    add_format,
    add_pins,
    add_rounding,
    cannot_read,
    date_arg,
    emit,
    example_file,
    examples,
    facility_arg,
    file_or_example,
    not_utf8,
    os_problem,
    warn,
    write_json,
)
from .lang import said
from .progress import Bar, clear, progress_bar
from .whatif_tables import print_budget as _print_budget
from .whatif_tables import print_projection as _print_projection
from .whatif_tables import print_whatif

_STRATEGIES = ("low", "mid", "high")

_SUFFIX = ".jsonl"
"""The bundled example portfolios are ``<name>.jsonl``."""

_EXAMPLE_HELP = "use a bundled example portfolio (e.g. portfolio_xiamen)"
_FACILITY_HELP = "facility JSON file, or - for standard input"
_FACILITY_EXAMPLE_HELP = "use a bundled example facility instead of FILE (see `tuoyu examples`)"
_REFORM_HELP = "a reform file (JSON or TOML), or the name of a bundled reform (see `tuoyu examples`)"
_JURISDICTION_HELP = "what-if: apply this city's rules to every facility instead of its own"


def _bad(message: Message | str) -> NoReturn:
    raise BadInput(message)


def _range_value(text: str) -> dict[str, str]:
    """``20000-30000`` -> a range table; ``20000-`` no upper bound; ``20000`` a single amount."""
    low, sep, high = text.partition("-")
    if not low.strip():
        words = msg(
            "cli.sweep.bad_value", value=repr(text), forms="LOW-HIGH, LOW-", last="AMOUNT", example="20000-30000"
        )
        raise argparse.ArgumentTypeError(said(words))
    table = {"kind": "range", "low": low.strip()}
    if not sep:
        table["high"] = low.strip()
    elif high.strip():
        table["high"] = high.strip()
    return table


def _output(p: argparse.ArgumentParser) -> None:
    """``--rounding`` and ``--format table|json|csv``, the last options of every what-if command."""
    add_rounding(p)
    add_format(p, "csv")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``budget``, ``project``, ``whatif`` and ``sweep`` to the ``tuoyu`` subcommands."""
    b = sub.add_parser("budget", help="budget a portfolio (CSV or JSON Lines), baseline and reforms side by side")
    add_file_or_example(b, "portfolio file (.csv, .jsonl), or - for standard input", _EXAMPLE_HELP)
    b.add_argument("--input", choices=("csv", "jsonl"), help="input format (default: from the file's suffix)")
    b.add_argument("--on", type=date_arg, required=True, help="the day whose rules apply, YYYY-MM-DD")
    b.add_argument("--jurisdiction", help=_JURISDICTION_HELP)
    b.add_argument("--reform", action="append", default=[], help=_REFORM_HELP + "; repeatable")
    b.add_argument("--no-baseline", action="store_true", help="leave out the law as it stands")
    b.add_argument("--strategy", choices=_STRATEGIES, help="pin each facility's ranges first (default: keep ranges)")
    b.add_argument(
        "--errors", choices=("raise", "collect"), default="raise", help="stop at a bad row, or skip and list it"
    )
    b.add_argument("--chart", metavar="FILE", help="also draw the budget into FILE.png or FILE.svg (extra charts)")
    _output(b)
    b.set_defaults(func=_cmd_budget)

    p = sub.add_parser("project", help="one facility's money over a period, by year and payer")
    add_file_or_example(p, _FACILITY_HELP, _FACILITY_EXAMPLE_HELP)
    p.add_argument("--start", type=date_arg, required=True)
    p.add_argument("--end", type=date_arg, required=True)
    p.add_argument(
        "--enrolment",
        type=int,
        help="children enrolled each month (default: the facility's enrolled); a programme that counts other "
        "children (full-day, employees') keeps the facility's own count",
    )
    p.add_argument("--prorate", action="store_true", help="pay partial months and years by days")
    p.add_argument("--one-time-on", type=date_arg, help="the day one-time amounts are assessed (default: --start)")
    p.add_argument("--jurisdiction", help="what-if: apply this city's rules")
    p.add_argument("--reform", help=_REFORM_HELP)
    add_pins(p)
    _output(p)
    p.set_defaults(func=_cmd_project)

    w = sub.add_parser("whatif", help="one facility under the law and under a reform, by city")
    add_file_or_example(w, _FACILITY_HELP, _FACILITY_EXAMPLE_HELP)
    w.add_argument("--on", type=date_arg, required=True)
    w.add_argument("--reform", required=True, help=_REFORM_HELP)
    w.add_argument("--cities", nargs="+", help="city ids (default: the facility's own)")
    w.add_argument("--all-cities", action="store_true", help="every registered city")
    w.add_argument("--strategy", choices=_STRATEGIES, help="pin ranges first (default: keep ranges)")
    _output(w)
    w.set_defaults(func=_cmd_whatif)

    s = sub.add_parser("sweep", help="vary one parameter over several values and tabulate the totals")
    add_file_or_example(
        s, "a facility (.json) or a portfolio (.csv, .jsonl)", "use a bundled example facility or portfolio"
    )
    s.add_argument("--on", type=date_arg, required=True)
    s.add_argument("--jurisdiction", help=_JURISDICTION_HELP)
    s.add_argument("--parameter", required=True, help="e.g. xiamen.operating_subsidy.amount")
    s.add_argument("--values", type=_range_value, nargs="+", required=True, metavar="LOW-HIGH")
    s.add_argument("--strategy", choices=_STRATEGIES)
    _output(s)
    s.set_defaults(func=_cmd_sweep)


# -- reading ---------------------------------------------------------------------------------------------


@contextmanager
def _portfolio(args: argparse.Namespace, stdin: TextIO) -> Iterator[Any]:
    """Open the portfolio and yield its rows lazily (streamed: one row in memory at a time), or a CSV file's path
    (which the library reads itself)."""
    missing = msg("cli.file.no_portfolio", file="FILE", csv=".csv", jsonl=".jsonl", stdin="'-'", option="--example")
    source = file_or_example(args, _SUFFIX, "portfolio", missing)
    if not isinstance(source, str):
        with source.open(encoding="utf-8") as f:
            yield read_jsonl(f)
        return
    kind = getattr(args, "input", None) or _kind(source)
    if kind not in ("csv", "jsonl"):
        _bad(msg("cli.file.unknown_format", path=source, first="--input csv", second="--input jsonl"))
    if kind == "csv" and _kind(source) == "csv" and os.access(source, os.R_OK):
        # A CSV file by name: the library reads it itself, straight into columns where pyarrow is installed (the
        # same budget as row by row, about ten times faster; see tr.budget). A file it cannot read is its error.
        yield source
        return
    reader = read_csv if kind == "csv" else read_jsonl
    if source == "-":
        yield reader(stdin)
        return
    try:
        stream = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        _bad(cannot_read(source, exc))
    with stream:
        try:
            yield reader(stream)
        except UnicodeDecodeError:
            _bad(not_utf8(source))


def _reform(value: str) -> Reform:
    """``--reform``: a reform file, or (when no file has that name) a bundled reform of that name."""
    if value in examples(REFORM) and not Path(value).exists():
        return Reform.loads(example_file(value, REFORM, "example", "--reform").read_text(encoding="utf-8"))
    return Reform.load(value)


def _kind(path: str) -> str | None:
    """A portfolio's format by its name (:func:`~tuoyu_rules.whatif.rows.input_format_of`), or ``json`` for one
    facility."""
    return "json" if Path(path).suffix.lower() == ".json" else input_format_of(path)


# -- commands --------------------------------------------------------------------------------------------


def _cmd_budget(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    chart = _chart_target(args.chart)
    reforms = [_reform(r) for r in args.reform]
    with _portfolio(args, stdin) as rows, progress_bar("budget") as bar:
        result = budget(
            rows,
            on=args.on,
            reforms=reforms,
            baseline=not args.no_baseline,
            jurisdiction=args.jurisdiction,
            rounding=args.rounding,
            strategy=args.strategy,
            errors=args.errors,
            lang=args.lang,
            progress=bar,
        )
    if chart is not None:
        _save_chart(result, chart, getattr(args, "lang", None) or "en")
    return emit(result, args.format, out, _print_budget)


def _chart_target(path: str | None) -> Path | None:
    """``--chart FILE``, checked before the budget is made: a .png or .svg suffix, the extra installed (exit 2)."""
    if path is None:
        return None
    try:
        return charts.check_target(path)
    except ImportError:
        fix = charts.CHARTS_EXTRA
        raise BadInput(msg("cli.chart.missing_extra", option="--chart", what="matplotlib", fix=fix)) from None


def _save_chart(result: Budget, target: Path, lang: str) -> None:
    try:
        charts.save(result.plot(lang=check_lang(lang)), target)
    except OSError as exc:
        words = msg("cli.chart.cannot_write", option="--chart", path=str(target), problem=os_problem(exc))
        raise BadInput(words) from None


def _cmd_project(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    facility = facility_arg(args, stdin)
    span = (args.end.year - args.start.year) * 12 + args.end.month - args.start.month + 1
    with progress_bar("project", "months", span if span > 0 else None) as bar:
        result = _project(facility, args, bar)
    return emit(result, args.format, out, _print_projection)


def _project(facility: Facility, args: argparse.Namespace, bar: Bar | None) -> Projection:
    """``project`` of one facility, as the ``tuoyu project`` arguments say."""
    return project(
        facility,
        start=args.start,
        end=args.end,
        enrolment=args.enrolment,
        prorate=args.prorate,
        one_time_on=args.one_time_on,
        jurisdiction=args.jurisdiction,
        rounding=args.rounding,
        pins=dict(args.pin) or None,
        reform=None if args.reform is None else _reform(args.reform),
        lang=args.lang,
        progress=bar,
    )


def _cmd_whatif(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    facility = facility_arg(args, stdin)
    reform = _reform(args.reform)
    if args.all_cities and args.cities:
        _bad(msg("cli.whatif.cities_or_all", first="--cities", second="--all-cities"))
    cities, broken = usable_cities() if args.all_cities else ((*(args.cities or [facility.jurisdiction]),), ())
    for exc in broken:  # a broken plugin is reported and skipped, as `tuoyu compare` does
        warn(exc)
    results = {}
    with progress_bar("whatif", "cities", len(cities)) as bar:
        for done, city in enumerate(cities, start=1):
            moved = facility if city == facility.jurisdiction else facility.model_copy(update={"jurisdiction": city})
            try:
                results[city] = budget(
                    [moved],
                    on=args.on,
                    reforms=[reform],
                    rounding=args.rounding,
                    strategy=args.strategy,
                    lang=args.lang,
                )
            except PluginError as exc:  # a plugin whose rule fails: skipped with --all-cities, an error for --cities
                if not args.all_cities:
                    raise
                clear(bar)
                warn(exc)
            if bar is not None:
                bar(done)
    if args.format == "json":
        write_json({city: b.model_dump(mode="json") for city, b in results.items()}, out)
        return 0
    if args.format == "csv":
        writer = csv_writer(out)
        header_done = False
        for city, b in results.items():
            t = tables(b)[0]
            if not header_done:
                writer.writerow([csv_cell(c) for c in headers(("city", *t.columns), args.lang)])
                header_done = True
            for row in t.rows:
                writer.writerow([csv_cell(city), *(csv_cell(c) for c in row)])
        return 0
    print_whatif(reform, args.on, results, out)
    return 0


def _cmd_sweep(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    one = args.example in examples(FACILITY) if args.example is not None else _kind(args.file or "") == "json"
    if one:  # one facility: a file or a bundled example
        result = _sweep(facility_arg(args, stdin), args, None)
    else:
        args.input = None
        if args.example is not None and args.example not in examples(_SUFFIX):
            known = ", ".join([*examples(FACILITY), *examples(_SUFFIX)])
            raise BadInput(msg("cli.example.unknown", option="--example", name=repr(args.example), known=known))
        with _portfolio(args, stdin) as rows, progress_bar("sweep") as bar:
            result = _sweep(rows, args, bar)
    return emit(result, args.format, out, _print_budget)


def _sweep(facilities: Facility | Iterator[Any], args: argparse.Namespace, bar: Bar | None) -> Budget:
    """``sweep`` of one facility or a portfolio's rows, as the ``tuoyu sweep`` arguments say."""
    return sweep(
        facilities,
        on=args.on,
        parameter=args.parameter,
        values=args.values,
        jurisdiction=args.jurisdiction,
        rounding=args.rounding,
        strategy=args.strategy,
        lang=args.lang,
        progress=bar,
    )
