"""The facility commands of the ``tuoyu`` command line: ``jurisdictions``, ``examples``, ``assess``, ``compare``.

``tuoyu jurisdictions`` lists the registered jurisdictions; ``tuoyu examples [NAME]`` lists the bundled examples
(facilities, portfolios and reforms) or prints one; ``tuoyu assess FILE --on YYYY-MM-DD`` assesses a facility
given as JSON (``-`` reads standard input; ``--example NAME`` uses a bundled example); ``tuoyu compare FILE --on
YYYY-MM-DD`` assesses the same facility moved to every city (a progress line on standard error when it is a
terminal: :mod:`~tuoyu_rules.cli.progress`).

Tables speak the language asked (``--lang``): ids and English in English, as they always did; Chinese names and
terms in Chinese (:mod:`~tuoyu_rules.cli.words`).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..core.engine import assess
from ..core.errors import TuoyuError
from ..core.jsonio import loads
from ..core.messages import msg
from ..core.models import Facility
from ..core.registry import get_policy, list_jurisdictions, plugin_problems
from ..core.results import Assessment
from ..whatif.comparison import compare
from .common import (
    EXIT_OK,
    FACILITY,
    PORTFOLIO,
    REFORM,
    BadInput,
    add_file_or_example,
    add_format,
    add_pins,
    add_rounding,
    amount_cells,
    cited,
    confidence,
    date_arg,
    emit,
    example_file,
    examples,
    facility_arg,
    say,
    table,
    warn,
    write_json,
)
from .lang import said
from .progress import progress_bar
from .words import heads, jurisdiction, level, payer, program, term, zh

_USES = {PORTFOLIO: "tuoyu budget --on 2024-06-01 --example {name}", REFORM: "--reform {name}"}
"""How a bundled portfolio or reform is used, as ``tuoyu examples`` shows it."""


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``jurisdictions``, ``examples``, ``assess`` and ``compare`` to the ``tuoyu`` command."""
    j = sub.add_parser("jurisdictions", help="list registered jurisdictions")
    add_format(j)
    j.set_defaults(func=_cmd_jurisdictions)

    e = sub.add_parser("examples", help="list the bundled examples (facilities, portfolios, reforms), or print one")
    e.add_argument("name", nargs="?", help="print this example (JSON, or JSON Lines for a portfolio)")
    e.set_defaults(func=_cmd_examples)

    for name, what in (
        ("assess", "assess one facility (JSON file, '-' for stdin)"),
        ("compare", "assess one facility moved to every city"),
    ):
        a = sub.add_parser(name, help=what)
        add_file_or_example(
            a,
            "facility JSON file, or - for standard input",
            "use a bundled example facility instead of FILE (see `tuoyu examples`)",
        )
        a.add_argument("--on", type=date_arg, required=True, help="the day whose rules apply, YYYY-MM-DD")
        add_format(a)
        add_rounding(a)
        add_pins(a, "an amount the granting body decided, inside the programme's range (repeatable)")
        if name == "assess":
            a.add_argument("--jurisdiction", help="what-if: apply this city's rules instead of the facility's own")
        a.set_defaults(func=_cmd_assess)


def _example_text(name: str, suffix: str = FACILITY) -> str:
    return example_file(name, suffix, "example").read_text(encoding="utf-8")


def _print_assessment(a: Assessment, out: TextIO) -> None:
    f = a.facility
    say(out, said(msg("cli.assess.facility", name=f.name or said(msg("cli.assess.unnamed")))))
    layers = " > ".join(jurisdiction(layer) for layer in a.layers)
    say(out, said(msg("cli.assess.rules", layers=layers, on=a.on, rounding=a.rounding)))
    say(out)
    sections = ((msg("cli.assess.entitlements"), a.entitlements), (msg("cli.assess.obligations"), a.obligations))
    for title, entries in sections:
        say(out, said(title))
        if not entries:
            say(out, said(msg("cli.none")))
            say(out)
            continue
        if zh():  # Chinese names and terms only
            rows = [heads("programme", "payer", "basis", "status", "amount_yuan", "amount_wan")]
            for entry in entries:
                names = [entry.name_zh or entry.program, payer(entry.payer, entry.payer_zh), term("basis", entry.basis)]
                rows.append([*names, term("status", entry.status), *amount_cells(entry.amount)])
        else:
            rows = [heads("programme", "name", "payer", "basis", "status", "amount_yuan", "amount_wan")]
            for entry in entries:
                names = [entry.program, f"{entry.name_zh} / {entry.name_en}", entry.payer, entry.basis]
                rows.append([*names, entry.status, *amount_cells(entry.amount)])
        table(rows, out)
        say(out)
    say(out, said(msg("cli.assess.why")))
    for e in (*a.entitlements, *a.obligations):
        shown = program(e.program, e.name_zh)
        say(out, said(msg("cli.assess.entry", program=shown, status=e.status, confidence=confidence(e.confidence))))
        for r in e.reasons:
            say(out, f"    - {r}")
        if e.missing:
            say(out, said(msg("cli.assess.missing", fields=e.missing)))
        for c in e.citations:
            say(out, said(msg("cli.assess.cites", citation=cited(c))))
    for note in a.notes:
        say(out, said(msg("cli.assess.note", note=note)))


def _cmd_jurisdictions(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    for problem in plugin_problems():  # e.g. a plugin claiming a built-in id: ignored, and said so
        warn(problem)
    policies = []
    for jid in list_jurisdictions():
        try:
            policies.append(get_policy(jid))
        except TuoyuError as exc:  # a broken plugin is reported, and the others are still listed
            warn(exc)
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
        write_json(data, out)
        return EXIT_OK
    if zh():
        names = {p.id: p.name_zh for p in policies}
        rows = [heads("id", "name", "level", "parent", "code")]
        for p in policies:
            parent = names.get(p.parent or "", p.parent or "")
            rows.append([p.id, p.name_zh, level(p.level), parent, p.division_code])
    else:
        rows = [heads("id", "name_zh", "name_en", "level", "parent", "code")]
        rows += [[p.id, p.name_zh, p.name_en, p.level, p.parent or "", p.division_code] for p in policies]
    table(rows, out)
    return EXIT_OK


def _cmd_examples(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if args.name is None:
        for name in examples(FACILITY):
            data = loads(_example_text(name), field=name)
            say(out, said(msg("cli.examples.facility", name=name, facility=data.get("name", ""))))
        for name in examples(PORTFOLIO):
            count = sum(1 for line in _example_text(name, PORTFOLIO).splitlines() if line.strip())
            use = _USES[PORTFOLIO].format(name=name)
            say(out, said(msg("cli.examples.portfolio", name=name, count=count, command=use)))
        for name in examples(REFORM):
            data = loads(_example_text(name, REFORM), field=name)
            use = _USES[REFORM].format(name=name)
            description = (data.get("description_zh") if zh() else None) or data.get("description", "")
            words = msg("cli.examples.reform", name=name, description=description, command=use)
            say(out, said(words))
        return EXIT_OK
    for suffix in (FACILITY, PORTFOLIO, REFORM):
        if args.name in examples(suffix):
            out.write(_example_text(args.name, suffix))
            return EXIT_OK
    known = ", ".join(name for suffix in (FACILITY, PORTFOLIO, REFORM) for name in examples(suffix))
    raise BadInput(msg("cli.example.unknown", option="NAME", name=repr(args.name), known=known))


def _cmd_assess(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    facility = facility_arg(args, stdin)
    pins = dict(args.pin)
    if args.command == "compare":
        return _compare(facility, args, pins, out)
    result = assess(
        facility, jurisdiction=args.jurisdiction, on=args.on, rounding=args.rounding, pins=pins, lang=args.lang
    )
    return emit(result, args.format, out, _print_assessment)


def _compare(facility: Facility, args: argparse.Namespace, pins: dict[str, str], out: TextIO) -> int:
    with progress_bar("compare", "cities") as bar:
        result = compare(facility, on=args.on, rounding=args.rounding, pins=pins, lang=args.lang, progress=bar)
    for reason in result.skipped.values():  # a plugin that fails to load or whose rule fails: skipped, and said
        warn(reason)
    if args.format == "json":
        write_json(result.to_json_data(), out)
        return EXIT_OK
    rows = [heads("city", "programme", "payer", "basis", "status", "amount_yuan", "amount_wan")]
    for city, a in result.assessments.items():
        for e in (*a.entitlements, *a.obligations):
            names = [jurisdiction(city), program(e.program, e.name_zh), payer(e.payer, e.payer_zh)]
            rows.append([*names, term("basis", e.basis), term("status", e.status), *amount_cells(e.amount)])
    table(rows, out)
    return EXIT_OK
