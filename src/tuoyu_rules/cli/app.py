"""The ``tuoyu`` command line.

``tuoyu jurisdictions`` lists the registered jurisdictions; ``tuoyu assess FILE --on YYYY-MM-DD`` assesses a
facility given as JSON (``-`` reads standard input; ``--example NAME`` uses a bundled example);
``tuoyu compare FILE --on YYYY-MM-DD`` assesses the same facility moved to every city.

Bad input exits with status 2 and one line on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, NoReturn, Protocol, TextIO, cast

from pydantic import ValidationError

from ..core.amounts import AmountRange
from ..core.errors import TuoyuError
from ..core.money import ROUNDING_MODES, format_wan, format_yuan

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _BadInput(Exception):
    """Raised inside the CLI for input problems; printed as one line, exit status 2."""


BadInput = _BadInput
"""Raise this from a command handler for an input problem: one line on stderr, exit status 2."""

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""A command handler: parsed arguments, standard output, standard input -> exit status."""


class _Extension(Protocol):
    def add_commands(self, sub: argparse._SubParsersAction[Any]) -> None: ...


_EXTENSION_MODULES: tuple[str, ...] = ("families", "compliance", "whatif", "schema")
"""Modules that add subcommands: each has ``add_commands(sub)`` calling ``sub.add_parser(...)`` and
``parser.set_defaults(func=handler)`` for each command it adds. Imported when the parser is built."""

_EXTENSIONS: tuple[_Extension, ...] | None = None
"""Overrides :data:`_EXTENSION_MODULES` (tests set it to the module under test); None: the default modules."""


def _extensions() -> tuple[_Extension, ...]:
    if _EXTENSIONS is not None:
        return _EXTENSIONS
    return tuple(cast(_Extension, importlib.import_module(f"tuoyu_rules.cli.{name}")) for name in _EXTENSION_MODULES)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line on stderr, exit 2 (argparse prints usage too)
        raise _BadInput(message)


def date_arg(text: str) -> dt.date:
    """argparse type for a YYYY-MM-DD date."""
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def pin_arg(text: str) -> tuple[str, str]:
    """argparse type for PROGRAM=AMOUNT."""
    program, sep, amount = text.partition("=")
    if not sep or not program or not amount:
        raise argparse.ArgumentTypeError(f"{text!r} is not PROGRAM=AMOUNT (e.g. xiamen.construction_subsidy=80000)")
    return program, amount


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tuoyu", description="Employer childcare policy (用人单位托育服务), exact and cited.")
    parser.add_argument("--version", action="version", version=f"tuoyu_rules {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    j = sub.add_parser("jurisdictions", help="list registered jurisdictions")
    j.add_argument("--format", choices=("table", "json"), default="table")
    j.set_defaults(func=_cmd_jurisdictions)

    e = sub.add_parser("examples", help="list the bundled example facilities, or print one")
    e.add_argument("name", nargs="?", help="print this example's JSON")
    e.set_defaults(func=_cmd_examples)

    for name, text in (
        ("assess", "assess one facility (JSON file, '-' for stdin)"),
        ("compare", "assess one facility moved to every city"),
    ):
        a = sub.add_parser(name, help=text)
        a.add_argument("file", nargs="?", help="facility JSON file, or - for standard input")
        a.add_argument("--example", help="use a bundled example facility instead of FILE (see `tuoyu examples`)")
        a.add_argument("--on", type=date_arg, required=True, help="the day whose rules apply, YYYY-MM-DD")
        a.add_argument("--format", choices=("table", "json"), default="table")
        a.add_argument("--rounding", choices=ROUNDING_MODES, default="ROUND_HALF_UP")
        a.add_argument(
            "--pin",
            type=pin_arg,
            action="append",
            default=[],
            metavar="PROGRAM=AMOUNT",
            help="an amount the granting body decided, inside the programme's range (repeatable)",
        )
        if name == "assess":
            a.add_argument("--jurisdiction", help="what-if: apply this city's rules instead of the facility's own")
        a.set_defaults(func=_cmd_assess)
    for module in _extensions():
        module.add_commands(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


# -- input -------------------------------------------------------------------------------------------------


def _examples() -> list[str]:
    files = resources.files("tuoyu_rules.examples")
    return sorted(
        p.name.removesuffix(".json")
        for p in files.iterdir()
        if p.name.endswith(".json") and not p.name.endswith(".reform.json")  # reforms are not facilities
    )


def _example_text(name: str) -> str:
    if name not in _examples():
        raise _BadInput(f"--example: unknown example {name!r}; bundled: {', '.join(_examples())}")
    return resources.files("tuoyu_rules.examples").joinpath(f"{name}.json").read_text(encoding="utf-8")


def _read_facility_json(args: argparse.Namespace, stdin: TextIO) -> tuple[Any, str]:
    if args.example is not None and args.file is not None:
        raise _BadInput("give FILE or --example, not both")
    if args.example is not None:
        return json.loads(_example_text(args.example)), f"example {args.example}"
    if args.file is None:
        raise _BadInput("give a facility JSON FILE ('-' for standard input) or --example NAME")
    return read_json(args.file, stdin), "standard input" if args.file == "-" else args.file


def read_json(path: str, stdin: TextIO) -> Any:
    """Read JSON from ``path`` (``-``: standard input) for a command; numbers with a fraction become exact
    ``Decimal`` (never float), constants such as NaN are refused; every problem is one :class:`BadInput` line."""
    label = "standard input" if path == "-" else path
    try:
        if path == "-":
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise _BadInput(f"{label}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _BadInput(f"{label}: not UTF-8 text") from None
    try:
        return json.loads(
            text, parse_float=_exact_number, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise _BadInput(f"{label}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _BadInput(f"{label}: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise _BadInput(f"{label}: unreadable JSON number: {str(exc)[:80]}") from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _BadInput(f"the key {key[:40]!r} appears twice in one JSON object; give it once")
        result[key] = value
    return result


def _exact_number(text: str) -> Decimal:
    # JSON numbers with a fraction become Decimal, never float: the models accept them exactly or refuse them.
    return Decimal(text)


def _refuse_constant(text: str) -> NoReturn:
    raise _BadInput(f"JSON constant {text} is not allowed (amounts are exact numbers)")


def _validation_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "facility"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "invalid facility: " + "; ".join(parts)


# -- output ------------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _amount_cells(amount: AmountRange) -> tuple[str, str]:
    low, high = amount.low, amount.high
    if high is not None and low == high:
        return format_yuan(low), format_wan(low)
    if high is None:
        return f">= {format_yuan(low)}", f">= {format_wan(low)}"
    return f"{format_yuan(low)} - {format_yuan(high)}", f"{format_wan(low)} - {format_wan(high)}"


def _print_assessment(a: Any, out: TextIO) -> None:
    f = a.facility
    out.write(f"Facility: {f.name or '(unnamed)'}\n")
    out.write(f"Rules of: {' > '.join(a.layers)} on {a.on.isoformat()} (rounding {a.rounding})\n\n")
    sections = (("Entitlements", a.entitlements), ("Matching obligations (配套)", a.obligations))
    for title, entries in sections:
        out.write(f"{title}\n")
        if not entries:
            out.write("  (none)\n\n")
            continue
        rows = [["programme", "name", "payer", "basis", "status", "amount (yuan)", "amount (万元)"]]
        for e in entries:
            yuan, wan = _amount_cells(e.amount)
            rows.append([e.program, f"{e.name_zh} / {e.name_en}", e.payer, e.basis, e.status, yuan, wan])
        _table(rows, out)
        out.write("\n")
    out.write("Why\n")
    for e in (*a.entitlements, *a.obligations):
        out.write(f"* {e.program} [{e.status}; confidence {e.confidence}]\n")
        for r in e.reasons:
            out.write(f"    - {r}\n")
        if e.missing:
            out.write(f"    missing facts: {', '.join(e.missing)}\n")
        for c in e.citations:
            words = f"「{c.quote}」" if c.quote else f"(summary) {c.summary}"
            out.write(f"    cites: {c.source}, {c.clause} [{c.confidence}]: {words}\n")
    for note in a.notes:
        out.write(f"note: {note}\n")


# -- commands ----------------------------------------------------------------------------------------------


def _cmd_jurisdictions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from ..core.registry import get_policy, list_jurisdictions

    policies = []
    for jid in list_jurisdictions():
        try:
            policies.append(get_policy(jid))
        except TuoyuError as exc:  # a broken plugin is reported, and the others are still listed
            sys.stderr.write(f"tuoyu: warning: {exc}\n")
    if args.format == "json":
        data = [
            {
                "id": p.id,
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "level": p.level,
                "parent": p.parent,
                "division_code": p.division_code,
                "programs": [prog.id for prog in p.programs],
            }
            for p in policies
        ]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rows = [["id", "name_zh", "name_en", "level", "parent", "code"]]
    rows += [[p.id, p.name_zh, p.name_en, p.level, p.parent or "", p.division_code] for p in policies]
    _table(rows, out)
    return EXIT_OK


def _cmd_examples(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if args.name is None:
        for name in _examples():
            data = json.loads(_example_text(name))
            out.write(f"{name}: {data.get('name', '')}\n")
        return EXIT_OK
    out.write(_example_text(args.name))
    return EXIT_OK


def _cmd_assess(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from ..core.engine import assess
    from ..core.models import Facility
    from ..core.registry import chain, get_policy, list_jurisdictions

    raw, _ = _read_facility_json(args, stdin)
    facility = Facility.model_validate(raw)
    pins = dict(args.pin)
    if args.command == "compare":
        cities = []
        for jid in list_jurisdictions():
            try:
                if get_policy(jid).level == "city":
                    cities.append(jid)
            except TuoyuError as exc:  # a broken plugin is skipped with a warning, not fatal
                sys.stderr.write(f"tuoyu: warning: {exc}\n")
        results = {}
        for city in cities:
            layer_ids = {p.id for p in chain(city)}
            city_pins = {k: v for k, v in pins.items() if k.split(".", 1)[0] in layer_ids}
            results[city] = assess(facility, jurisdiction=city, on=args.on, rounding=args.rounding, pins=city_pins)
        if args.format == "json":
            dumped = {city: a.model_dump(mode="json") for city, a in results.items()}
            out.write(json.dumps(dumped, ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        rows = [["city", "programme", "payer", "basis", "status", "amount (yuan)", "amount (万元)"]]
        for city, a in results.items():
            for e in (*a.entitlements, *a.obligations):
                yuan, wan = _amount_cells(e.amount)
                rows.append([city, e.program, e.payer, e.basis, e.status, yuan, wan])
        _table(rows, out)
        return EXIT_OK
    result = assess(facility, jurisdiction=args.jurisdiction, on=args.on, rounding=args.rounding, pins=pins)
    if args.format == "json":
        out.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_assessment(result, out)
    return EXIT_OK


def _one_line(message: str) -> str:
    """Error text on one line, whatever the input echoed into it (a key with a newline, say)."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    inp = stdin or sys.stdin
    try:
        args = _parser().parse_args(argv)
        handler: Command = args.func
        return handler(args, out, inp)
    except _BadInput as exc:
        err.write(f"tuoyu: error: {_one_line(str(exc))}\n")
    except ValidationError as exc:
        err.write(f"tuoyu: error: {_one_line(_validation_line(exc))}\n")
    except TuoyuError as exc:
        err.write(f"tuoyu: error: {_one_line(str(exc))}\n")
    except BrokenPipeError:  # pragma: no cover - e.g. piped into `head`
        return EXIT_OK
    return EXIT_BAD_INPUT


