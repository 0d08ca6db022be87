"""The tables of the what-if commands (``tuoyu budget``, ``sweep``, ``project``, ``whatif``), in the language asked.

In English they show ids, as they always did; in Chinese the programmes' and payers' names and the glossary's
terms (:mod:`~tuoyu_rules.cli.words`). Amounts are the same in both.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from ..core.messages import Message, msg, pick
from ..core.reforms import Reform
from ..whatif import Budget, Projection, ProjectionLine
from .common import row_problem_text, say, table, yuan_cell
from .lang import current, said
from .words import heads, jurisdiction, payer, program, term, zh

STRATEGIES = {"low": "cli.strategy.low", "mid": "cli.strategy.mid", "high": "cli.strategy.high"}
"""A pinning strategy -> its code."""


def scenario(name: str) -> str:
    """A scenario's name: ``baseline`` (the law as it stands) as said; a reform's name as its file gives it."""
    return said(msg("cli.column.baseline")) if name == "baseline" else name


def _strategy(value: str) -> str:
    code = STRATEGIES.get(value)
    return repr(value) if code is None or not zh() else said(Message(code))


def print_budget(b: Budget, out: TextIO) -> None:
    """``tuoyu budget`` and ``tuoyu sweep``: totals by payer side by side, then each scenario by programme."""
    names = [s.name for s in b.scenarios]
    sep, colon = ("，", "：") if zh() else (", ", ": ")
    counts = sep.join(f"{scenario(s.name)}{colon}{s.facilities}" for s in b.scenarios)
    say(out, said(msg("cli.budget.head", on=b.on, rounding=b.rounding, counts=counts)))
    if b.strategy:
        say(out, said(msg("cli.budget.pinned", strategy=_strategy(b.strategy))))
    else:
        say(out, said(msg("cli.budget.ranges")))
    say(out)
    say(out, said(msg("cli.budget.by_payer")))
    say(out, said(msg("cli.budget.by_payer_more")))
    rows = [[*heads("payer", "basis"), *map(scenario, names)]]
    for row in b.side_by_side():
        rows.append([payer(row["payer"]), term("basis", row["basis"]), *(yuan_cell(*row[n]) for n in names)])
    table(rows, out)
    for s in b.scenarios:
        say(out)
        say(out, said(msg("cli.budget.by_programme", name=scenario(s.name))))
        prog_rows = [
            heads("programme", "payer", "basis", "children", "eligible", "ineligible", "undetermined", "amount_yuan")
        ]
        for t in s.by_program:
            counts_of = [str(t.eligible), str(t.ineligible), str(t.undetermined)]
            children = "" if t.children is None else str(t.children)
            names_of = [program(t.program), payer(t.payer), term("basis", t.basis)]
            prog_rows.append([*names_of, children, *counts_of, yuan_cell(t.amount)])
        table(prog_rows, out)
        for t in s.by_program:
            for r in t.open_reasons:
                say(out, said(msg("cli.budget.open", program=program(t.program), count=r.count, reason=r.reason)))
    say(out)  # both counts always: what was summed and what was left out, even when nothing was
    say(out, said(msg("cli.budget.summed", count=b.facilities)))
    say(out, said(msg("cli.budget.left_out", count=b.error_count)))
    for e in b.errors:
        say(out, said(msg("cli.budget.row_error", row=e.row, field=e.field, message=row_problem_text(e, current()))))
    if b.error_count > len(b.errors):
        say(out, said(msg("cli.budget.more_errors", count=b.error_count - len(b.errors))))


def _paid(line: ProjectionLine) -> str:
    """What a line counted, in the language asked (its ``paid``; ``paid_units`` as it is for a line without one)."""
    return line.paid_units if line.paid is None else line.paid.text(current())


def _open_reasons(line: ProjectionLine) -> tuple[str, ...]:
    """Why a line's payments are open, in the language asked (its ``open_explanation`` when it has one)."""
    return pick(line.open_explanation, current()) if line.open_explanation else line.open_reasons


def print_projection(p: Projection, out: TextIO) -> None:
    """``tuoyu project``: a facility's money by year and payer, then by programme."""
    where = jurisdiction(p.jurisdiction)
    say(out, said(msg("cli.projection.head", start=p.start, end=p.end, jurisdiction=where, rounding=p.rounding)))
    for note in p.notes:
        say(out, f"  {note}")
    say(out)
    say(out, said(msg("cli.projection.by_year_payer")))
    rows = [heads("year", "payer", "amount_yuan")]
    rows += [[str(t.year), payer(t.payer), yuan_cell(t.amount, t.undetermined)] for t in p.totals()]
    table(rows, out)
    say(out)
    say(out, said(msg("cli.projection.by_programme")))
    rows = [heads("year", "programme", "payer", "basis", "paid", "amount_yuan")]
    for ln in p.lines:
        names = [program(ln.program), payer(ln.payer), term("basis", ln.basis), _paid(ln)]
        rows.append([str(ln.year), *names, yuan_cell(ln.amount, ln.undetermined)])
    table(rows, out)
    for ln in p.lines:
        for r in _open_reasons(ln):
            say(out, said(msg("cli.projection.open", year=ln.year, program=program(ln.program), reason=r)))


def print_whatif(reform: Reform, on: dt.date, results: dict[str, Budget], out: TextIO) -> None:
    """``tuoyu whatif``: each city's totals by payer, under the law and under the reform."""
    name = reform.name if zh() else repr(reform.name)
    description = (reform.description_zh if zh() else None) or reform.description
    say(out, said(msg("cli.whatif.head", name=name, on=on, description=description)))
    rows = [[*heads("city", "payer", "basis", "baseline"), reform.name]]
    for city, b in results.items():
        for srow in b.side_by_side():
            amounts = [yuan_cell(*srow["baseline"]), yuan_cell(*srow[reform.name])]
            rows.append([jurisdiction(city), payer(srow["payer"]), term("basis", srow["basis"]), *amounts])
    table(rows, out)
