"""What every command of the ``tuoyu`` command line shares: arguments, input, tables and errors.

* the exit statuses, :class:`BadInput` (an input problem: one line on standard error, exit status 2) and the
  parser whose ``error()`` raises it instead of printing usage;
* argument types (:func:`date_arg`, :func:`pin_arg`) and the arguments several commands take alike
  (``--format``, ``--rounding``, ``--pin``, ``FILE`` or ``--example``);
* input: JSON read exactly (:func:`read_json`), facilities, the bundled examples;
* output: JSON, tables padded for Chinese characters, amount cells, citation lines, and :func:`emit`, which
  prints a result as JSON, CSV or a command's own table;
* human-readable text made safe to print (:func:`printable`, :func:`say`): every table cell and every line a
  printer writes goes through them, so a name, a description, a reason or an error message read from input
  can neither start a new line nor send a terminal escape;
* error text on one line (:func:`one_line`, :func:`validation_line`) and warnings (:func:`warn`).

Every sentence and header is said in the language of the command being run (``--lang``: see
:mod:`~tuoyu_rules.cli.lang`), from the command line's catalog ``cli/messages.toml``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from pydantic import BaseModel, ValidationError

from ..core.amounts import AmountRange
from ..core.citations import Citation
from ..core.error_text import error_text
from ..core.errors import PolicyDataError
from ..core.jsonio import MAX_CHARS, loads
from ..core.messages import Lang, Message, core_catalog, msg
from ..core.models import Facility
from ..core.money import ROUNDING_MODES, format_wan, format_yuan
from ..io import write_csv
from ..io.problems import RowProblem
from .lang import current, said, usage_message

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

EXIT_OK = 0
EXIT_OUTPUT_ERROR = 1
"""The output could not be written: standard output cannot encode it, or writing failed (a full disk)."""
EXIT_BAD_INPUT = 2

_EXAMPLES = "tuoyu_rules.examples"
"""The package holding the bundled example files."""

FACILITY = ".json"
PORTFOLIO = ".jsonl"
REFORM = ".reform.json"
"""The bundled examples by kind: a facility is ``<name>.json``, a portfolio ``<name>.jsonl`` (JSON Lines) and a
reform ``<name>.reform.json``."""


class BadInput(Exception):
    """Raise this from a command handler for an input problem: one line on stderr, exit status 2.

    ``problem`` is a coded message of ``cli/messages.toml``, said in the language asked (a text is said as it is).
    """

    def __init__(self, problem: Message | str) -> None:
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return self.problem if isinstance(self.problem, str) else said(self.problem)


Command = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""A command handler: parsed arguments, standard output, standard input -> exit status."""


class Parser(argparse.ArgumentParser):
    """The ``tuoyu`` parser and its subcommands' parsers: a usage error is a :class:`BadInput`."""

    def error(self, message: str) -> NoReturn:  # one line on stderr, exit 2 (argparse prints usage too)
        raise BadInput(usage_message(message))


# -- arguments ---------------------------------------------------------------------------------------------


def date_arg(text: str) -> dt.date:
    """argparse type for a YYYY-MM-DD date."""
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(said(msg("cli.date.bad", value=repr(text)))) from None


def pin_arg(text: str) -> tuple[str, str]:
    """argparse type for PROGRAM=AMOUNT."""
    program, sep, amount = text.partition("=")
    if not sep or not program or not amount:
        raise argparse.ArgumentTypeError(
            said(msg("cli.pin.bad", value=repr(text), example="xiamen.construction_subsidy=80000"))
        )
    return program, amount


def add_format(parser: argparse.ArgumentParser, *more: str) -> None:
    """``--format table|json`` (and the ``more`` formats given, e.g. ``csv``), table by default."""
    parser.add_argument("--format", choices=("table", "json", *more), default="table")


def add_rounding(parser: argparse.ArgumentParser) -> None:
    """``--rounding MODE``, one of the decimal rounding modes, ROUND_HALF_UP by default."""
    parser.add_argument("--rounding", choices=ROUNDING_MODES, default="ROUND_HALF_UP")


def add_pins(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--pin PROGRAM=AMOUNT``, repeatable: an amount decided inside a programme's range."""
    parser.add_argument("--pin", type=pin_arg, action="append", default=[], metavar="PROGRAM=AMOUNT", help=help)


def add_file_or_example(parser: argparse.ArgumentParser, file_help: str, example_help: str) -> None:
    """An optional ``FILE`` and ``--example NAME`` in its place (see :func:`file_or_example`)."""
    parser.add_argument("file", nargs="?", help=file_help)
    parser.add_argument("--example", help=example_help)


# -- input -------------------------------------------------------------------------------------------------


def examples(suffix: str) -> list[str]:
    """The names of the bundled examples whose files end in ``suffix`` (:data:`FACILITY`, :data:`PORTFOLIO` or
    :data:`REFORM`: a reform is not a facility)."""
    files = resources.files(_EXAMPLES)
    return sorted(
        p.name.removesuffix(suffix)
        for p in files.iterdir()
        if p.name.endswith(suffix) and (suffix == REFORM or not p.name.endswith(REFORM))
    )


_UNKNOWN_EXAMPLE = {"example": "cli.example.unknown", "portfolio": "cli.example.unknown_portfolio"}
"""What an unknown ``--example`` is said to be, by the kind of example asked for."""


def example_file(name: str, suffix: str, kind: str, option: str = "--example") -> Traversable:
    """The bundled example ``name`` (``kind``, ``example`` or ``portfolio``, names it when there is none)."""
    names = examples(suffix)
    if name not in names:
        code = _UNKNOWN_EXAMPLE.get(kind, "cli.example.unknown")
        raise BadInput(Message(code, (("option", option), ("name", repr(name)), ("known", ", ".join(names)))))
    return resources.files(_EXAMPLES).joinpath(f"{name}{suffix}")


def file_or_example(args: argparse.Namespace, suffix: str, kind: str, missing: Message | str) -> str | Traversable:
    """The bundled example ``--example`` names, else ``FILE`` (``missing``: the message when neither is given)."""
    if args.example is not None:
        if args.file is not None:
            raise BadInput(msg("cli.file.file_or_example", file="FILE", option="--example"))
        return example_file(args.example, suffix, kind)
    if args.file is None:
        raise BadInput(missing)
    file: str = args.file
    return file


def read_json(path: str, stdin: TextIO) -> Any:
    """Read JSON from ``path`` (``-``: standard input) for a command, by the library's one JSON policy
    (:func:`tuoyu_rules.core.jsonio.loads`: numbers with a fraction exact ``Decimal``, a key given twice,
    NaN and Infinity refused, size and depth bounded); every problem is one :class:`BadInput` line."""
    label = said(msg("cli.stdin")) if path == "-" else path
    try:
        if path == "-":
            text = stdin.read(MAX_CHARS + 1)  # never more than the policy reads
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(MAX_CHARS + 1)
    except OSError as exc:
        raise BadInput(cannot_read(label, exc)) from None
    except UnicodeDecodeError:
        raise BadInput(not_utf8(label)) from None
    return loads(text, field=label)  # a JsonError is said as every error of the library is


_OS_PROBLEMS: dict[int, str] = {
    errno.ENOENT: "cli.os.not_found",
    errno.EACCES: "cli.os.permission",
    errno.EPERM: "cli.os.permission",
    errno.EISDIR: "cli.os.is_directory",
    errno.ENOTDIR: "cli.os.not_directory",
    errno.ENOSPC: "cli.os.no_space",
}
"""The operating system's errors the command line says in Chinese (any other is given as the system says it)."""


def os_problem(exc: OSError) -> str:
    """What the operating system said: in English as it said it; in Chinese where the command line knows it."""
    code = None if exc.errno is None else _OS_PROBLEMS.get(exc.errno)
    if code is None or current() == "en":
        return exc.strerror or str(exc)
    return said(Message(code))


def cannot_read(path: str, exc: OSError) -> Message:
    """``path: cannot read: <the system's reason>``."""
    return msg("cli.file.cannot_read", path=path, problem=os_problem(exc))


def not_utf8(path: str) -> Message:
    """``path: not UTF-8 text``."""
    return msg("cli.file.not_utf8", path=path, encoding="UTF-8")


def read_facility(path: str, stdin: TextIO) -> Facility:
    """The facility in the JSON file ``path`` (``-``: standard input), read by :func:`read_json`."""
    return Facility.model_validate(read_json(path, stdin))


def facility_arg(args: argparse.Namespace, stdin: TextIO) -> Facility:
    """The facility of a command taking ``FILE`` or ``--example NAME`` (:func:`add_file_or_example`): the file
    read by :func:`read_json`, or the bundled example facility, read by the library's one JSON policy."""
    missing = msg("cli.file.no_facility", file="FILE", stdin="'-'", option="--example")
    source = file_or_example(args, FACILITY, "example", missing)
    if isinstance(source, str):
        return read_facility(source, stdin)
    return Facility.model_validate(loads(source.read_text(encoding="utf-8"), field=source.name))


# -- output ------------------------------------------------------------------------------------------------


def write_json(data: Any, out: TextIO) -> None:
    """``data`` as indented JSON, Chinese characters as they are, and a newline."""
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def emit(result: BaseModel, fmt: str, out: TextIO, printer: Callable[[Any, TextIO], None]) -> int:
    """Print ``result`` as ``fmt``: ``json`` its ``model_dump(mode="json")``, ``csv`` its tables (headers in the
    language asked), ``table`` through ``printer`` (which speaks the language asked); return :data:`EXIT_OK`."""
    if fmt == "json":
        write_json(result.model_dump(mode="json"), out)
    elif fmt == "csv":
        write_csv(result, out, lang=current())
    else:
        printer(result, out)
    return EXIT_OK


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a terminal would act on rather than show: C0 controls (newline, carriage return, tab, ESC ...), DEL,
C1 controls (NEL, CSI ...), the line and paragraph separators, and the bidirectional marks, embeddings,
overrides and isolates that reorder what is shown."""

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match[0]
    return _NAMED_ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(value: object) -> str:
    """``value`` as text that shows on a terminal as it is, on one line.

    Every character of :data:`_UNPRINTABLE` becomes a visible escape (``\\n``, ``\\r``, ``\\t``, ``\\x1b``,
    ``\\u202e``), so a facility name or a reform description can neither forge a line of output nor move the
    cursor, colour the screen or reverse the text. Chinese and other printable text is unchanged.
    """
    return _UNPRINTABLE.sub(_escape, str(value))


def say(out: TextIO, text: str = "") -> None:
    """Write ``text`` as one line of human-readable output (:func:`printable`) and a newline; every printer
    writes its lines through this function or :func:`table`."""
    out.write(printable(text) + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[list[str]], out: TextIO) -> None:
    """Print ``rows`` (the first is the header, underlined) in columns; a Chinese character is two wide. Every
    cell is shown :func:`printable`."""
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _range_text(amount: AmountRange, fmt: Callable[[Decimal], str]) -> str:
    low, high = amount.low, amount.high
    if high is not None and low == high:
        return fmt(low)
    if high is None:
        return f">= {fmt(low)}"
    return f"{fmt(low)} - {fmt(high)}"


def amount_cells(amount: AmountRange) -> tuple[str, str]:
    """An amount in yuan and in 万元: one amount, ``>= low`` (no upper bound) or ``low - high``."""
    return _range_text(amount, format_yuan), _range_text(amount, format_wan)


def yuan_cell(amount: AmountRange, open_count: int = 0) -> str:
    """An amount in yuan, and how many facilities it leaves open (undetermined), if any."""
    text = _range_text(amount, format_yuan)
    if open_count:
        text += said(msg("cli.amount.open", count=open_count))
    return text


CONFIDENCES = {"official": "cli.confidence.official", "secondary": "cli.confidence.secondary"}
"""How sure a citation is (:data:`~tuoyu_rules.core.citations.Confidence`), as said."""


def confidence(value: str) -> str:
    """A citation's confidence (``official``, ``secondary``) as said in the language asked."""
    code = CONFIDENCES.get(value)
    return value if code is None else said(Message(code))


def cited(c: Citation) -> str:
    """A citation on one line: source, clause, confidence, and its quoted words or its summary (our own words; in
    Chinese its Chinese summary, or, for data with none, the source named as reported). Chinese output names the
    source and clause in Chinese where the data gives them (``source_zh``, ``clause_zh``)."""
    sure = confidence(c.confidence)
    zh = current() == "zh"
    source, clause = (c.source_zh or c.source, c.clause_zh or c.clause) if zh else (c.source, c.clause)
    if c.quote:
        return said(msg("cli.cite.quote", source=source, clause=clause, confidence=sure, quote=c.quote))
    summary = c.summary_zh if zh else c.summary
    if summary is None:
        return said(msg("cli.cite.reported", source=source, confidence=sure))
    return said(msg("cli.cite.summary", source=source, clause=clause, confidence=sure, summary=summary))


# -- errors ------------------------------------------------------------------------------------------------


def one_line(message: str) -> str:
    """Error text on one line, whatever the input echoed into it (a key with a newline or an ANSI escape, say):
    :func:`printable`."""
    return printable(message)


def problem_text(problem: object) -> str:
    """A problem in the language asked: a coded message said, an error of the library in words
    (:func:`~tuoyu_rules.core.error_text.error_text`), anything else as it is."""
    if isinstance(problem, Message):
        return said(problem)
    if isinstance(problem, BadInput):
        return str(problem)
    if isinstance(problem, BaseException):
        return error_text(problem, current())
    return str(problem)


def row_problem_text(problem: RowProblem, lang: Lang) -> str:
    """A bad row's problem in ``lang``: from its code when it has one (the error catalogs), else its ``message``
    (English) as it is."""
    if lang == "en" or problem.code is None:
        return problem.message
    try:
        return core_catalog().render(Message(problem.code, tuple(problem.params.items())), lang)
    except PolicyDataError:  # a code the catalogs do not hold, or a parameter it lacks: the message as it is
        return problem.message


def warn(problem: object) -> None:
    """One ``tuoyu: warning:`` line on standard error (:func:`one_line`) for a problem the command goes on
    without, such as a broken jurisdiction plugin left out of a listing or a comparison of every city."""
    sys.stderr.write(said(msg("cli.warning", command="tuoyu", problem=one_line(problem_text(problem)))) + "\n")


def validation_line(exc: ValidationError) -> str:
    """A model's validation errors as one message: ``field: problem; field: problem``."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "facility"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "invalid facility: " + "; ".join(parts)
