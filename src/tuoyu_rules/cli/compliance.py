"""Compliance commands of the ``tuoyu`` command line (added by :func:`add_commands`).

* ``tuoyu check-spending FILE`` checks a union's childcare spending plan (JSON of
  :class:`~tuoyu_rules.compliance.UnionSpendingPlan`) against Chengdu's rules on union money;
* ``tuoyu check-standards FILE --on D`` checks classes, carers, a family point, Hangzhou's limits and the
  area per place (JSON of :class:`~tuoyu_rules.compliance.StandardsInput`);
* ``tuoyu guidance-gaps --start D --end D [VISIT ...]`` lists the stretches of more than two months without
  an on-site health-guidance visit (Hangzhou);
* ``tuoyu targets FILE --on D`` reports Chengdu's target progress (JSON
  ``{"city_demonstration_sites": 8, "sites_by_district": {"武侯区": 1}}``).

``FILE`` is a JSON file or ``-`` for standard input; JSON numbers with a fraction are read as exact
decimals. Every command takes ``--format json|table`` (table by default); ``json`` prints the report's
``model_dump(mode="json")``. The exit status is 0 when the check ran, whatever its findings (findings are
data, not errors), and 2 for bad input. ``--lang zh`` says the findings, the headers and the verdict in Chinese.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from ..compliance import (
    ComplianceReport,
    StandardsInput,
    UnionSpendingPlan,
    check_health_guidance,
    check_standards,
    check_union_spending,
    chengdu_target_progress,
    health_guidance_gaps,
)
from ..core.messages import Message, msg
from ..core.models import Count
from .common import EXIT_OK, Command, add_format, cited, date_arg, read_json, say, table, write_json
from .lang import current, said
from .words import heads

VERDICTS = {True: "cli.check.compliant", False: "cli.check.not_compliant", None: "cli.check.not_confirmed"}
"""A report's ``compliant`` -> the code of its verdict."""

OUTCOMES = {
    "ok": "cli.outcome.ok",
    "breach": "cli.outcome.breach",
    "cannot_check": "cli.outcome.cannot_check",
    "in_progress": "cli.outcome.in_progress",
    "warning": "cli.outcome.warning",
    "not_applicable": "cli.outcome.not_applicable",
}
"""A finding's outcome -> its code (``ok``, ``breach`` ... in English, as they always were)."""

CHECKS = {
    "union_spending": "cli.check.union_spending",
    "facility_standards": "cli.check.facility_standards",
    "health_guidance": "cli.check.health_guidance",
    "chengdu_targets": "cli.check.chengdu_targets",
}
"""A report's ``check`` -> the code of its name in Chinese (in English the id, as it always was)."""


def _check(check: str) -> str:
    code = CHECKS.get(check)
    return check if code is None or current() == "en" else said(Message(code))


class TargetsInput(BaseModel):
    """The JSON input of ``tuoyu targets``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    city_demonstration_sites: Count
    sites_by_district: dict[str, Count] = Field(default_factory=dict)


def _write_report(report: ComplianceReport, fmt: str, out: TextIO, extra: dict[str, Any] | None = None) -> None:
    if fmt == "json":
        data = report.model_dump(mode="json")
        if extra:
            data = {**extra, **data}
        write_json(data, out)
        return
    verdict = said(Message(VERDICTS[report.compliant]))
    say(out, said(msg("cli.check.head", check=_check(report.check), verdict=verdict)))
    say(out)
    rows = [heads("rule", "outcome", "concerns", "message")]
    rows += [[f.rule, said(Message(OUTCOMES[f.outcome])), f.concerns or "", f.message] for f in report.findings]
    table(rows, out)
    say(out)
    say(out, said(msg("cli.check.citations")))
    seen: set[str] = set()
    for f in report.findings:
        for c in f.citations:
            if c.id in seen:
                continue
            seen.add(c.id)
            say(out, f"  {c.id}: {cited(c)}")
    for note in report.notes:
        say(out, said(msg("cli.assess.note", note=note)))


def _cmd_spending(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    plan = UnionSpendingPlan.model_validate(read_json(args.file, stdin))
    _write_report(check_union_spending(plan, lang=args.lang), args.format, out)
    return EXIT_OK


def _cmd_standards(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    data = StandardsInput.model_validate(read_json(args.file, stdin))
    _write_report(check_standards(data, on=args.on, lang=args.lang), args.format, out)
    return EXIT_OK


def _cmd_gaps(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    visits = list(args.visits)
    gaps = health_guidance_gaps(visits, start=args.start, end=args.end, lang=args.lang)
    report = check_health_guidance(visits, start=args.start, end=args.end, lang=args.lang)
    if args.format == "json":
        _write_report(report, "json", out, {"gaps": [g.model_dump(mode="json") for g in gaps]})
        return EXIT_OK
    if gaps:
        rows = [heads("after", "due_by", "until", "closed", "days_overdue")]
        rows += [
            [
                g.after.isoformat(),
                g.due.isoformat(),
                g.until.isoformat(),
                said(msg("cli.yes") if g.closed else msg("cli.check.open_at_end")),
                str(g.days_overdue),
            ]
            for g in gaps
        ]
        table(rows, out)
        say(out)
    _write_report(report, "table", out)
    return EXIT_OK


def _cmd_targets(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    data = TargetsInput.model_validate(read_json(args.file, stdin))
    report = chengdu_target_progress(
        data.sites_by_district, city_demonstration_sites=data.city_demonstration_sites, on=args.on, lang=args.lang
    )
    _write_report(report, args.format, out)
    return EXIT_OK


def _file_command(
    sub: argparse._SubParsersAction[Any], name: str, text: str, file_help: str, on_help: str | None, func: Command
) -> None:
    """A command reading one JSON ``file`` (or ``-``), with ``--on`` when ``on_help`` is given, and ``--format``."""
    p = sub.add_parser(name, help=text)
    p.add_argument("file", help=file_help)
    if on_help is not None:
        p.add_argument("--on", type=date_arg, required=True, help=on_help)
    add_format(p)
    p.set_defaults(func=func)


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``check-spending``, ``check-standards``, ``guidance-gaps`` and ``targets`` to the ``tuoyu`` CLI."""
    _file_command(
        sub,
        "check-spending",
        "check a union's childcare spending plan (Chengdu's union-fund rules)",
        "spending plan JSON file, or - for standard input",
        None,
        _cmd_spending,
    )
    _file_command(
        sub,
        "check-standards",
        "check classes, carers, family points, Hangzhou limits, area",
        "standards JSON file, or - for standard input",
        "the day whose rules apply, YYYY-MM-DD",
        _cmd_standards,
    )

    g = sub.add_parser("guidance-gaps", help="stretches of more than two months without health guidance (Hangzhou)")
    g.add_argument("visits", nargs="*", type=date_arg, metavar="VISIT", help="visit dates, YYYY-MM-DD")
    g.add_argument("--start", type=date_arg, required=True, help="first day of the period, YYYY-MM-DD")
    g.add_argument("--end", type=date_arg, required=True, help="last day of the period, YYYY-MM-DD")
    add_format(g)
    g.set_defaults(func=_cmd_gaps)

    _file_command(
        sub,
        "targets",
        "Chengdu's demonstration-site and pilot targets (to the end of 2025)",
        'JSON {"city_demonstration_sites": N, "sites_by_district": {...}}, or -',
        "the day of the progress report, YYYY-MM-DD",
        _cmd_targets,
    )
