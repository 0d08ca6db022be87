"""Command-line commands for families and parents: ``tuoyu fee``, ``tuoyu allowance``, ``tuoyu family-cost``.

Added to the ``tuoyu`` command by :func:`add_commands` (the ``tuoyu_rules.cli.app`` parser calls it)::

    tuoyu fee MARKET [--share S | --flat F] [--allowance A] [--cap C] [--rounding MODE] [--cite ID]...
    tuoyu allowance BIRTH_DATE [--not-prc-national] [--applied DATE]... [--as-of DATE] [--format json|table]
    tuoyu family-cost MARKET [--share S | --flat F] [--employer-allowance A] [--district-allowance D]
                      [--cap C] [--birth DATE] [--not-prc-national]
                      [--facility FILE --on DATE --pass-on PROGRAM ...]

``--format json`` prints the result's ``model_dump(mode="json")``; amounts are strings with two decimals.
Amounts and shares are parsed exactly (never as floats); bad input exits with status 2 and one line.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..core.engine import assess
from ..core.money import format_yuan
from ..core.results import Entitlement
from ..families import Allowance, FamilyCost, FeeQuote, childcare_allowance, family_monthly_cost, parent_fee
from .common import BadInput, add_format, add_rounding, cited, date_arg, emit, read_facility, say


def _fee_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("market", metavar="MARKET", help="the facility's market price a month, yuan (e.g. 1000)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--share", help="charge this fraction of the market price (0.85, 0.5)")
    how.add_argument("--flat", help="charge this fixed fee a month instead (e.g. 800)")
    p.add_argument("--cap", help="price ceiling to check, e.g. the local 普惠 fee standard")
    add_rounding(p)
    p.add_argument(
        "--cite",
        action="append",
        default=[],
        metavar="CITATION_ID",
        help="a clause the fee rests on, e.g. qianan.seed_merchant_children (repeatable)",
    )
    add_format(p)


def _fee_terms(args: argparse.Namespace) -> dict[str, Any]:
    """The terms :func:`_fee_arguments` reads, as keyword arguments of ``parent_fee`` and ``family_monthly_cost``."""
    return {
        "share": args.share,
        "flat": args.flat,
        "cap": args.cap,
        "rounding": args.rounding,
        "cite": tuple(args.cite),
    }


def _not_prc_national(p: argparse.ArgumentParser) -> None:
    p.add_argument("--not-prc-national", action="store_true", help="the child does not have PRC nationality")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``fee``, ``allowance`` and ``family-cost`` to the ``tuoyu`` command."""
    f = sub.add_parser("fee", help="what a parent pays a month: market price, share or flat fee, allowance, cap")
    _fee_arguments(f)
    f.add_argument("--allowance", default="0", help="the employer's monthly allowance to the parent (e.g. 200)")
    f.set_defaults(func=_cmd_fee)

    a = sub.add_parser("allowance", help="the national childcare allowance (育儿补贴) for a child born on a day")
    a.add_argument("birth", metavar="BIRTH_DATE", type=date_arg, help="the child's birth date, YYYY-MM-DD")
    _not_prc_national(a)
    a.add_argument(
        "--applied",
        action="append",
        type=date_arg,
        metavar="DATE",
        help="a day the family applied for the allowance (repeatable): shows what is forfeited",
    )
    a.add_argument(
        "--as-of",
        type=date_arg,
        metavar="DATE",
        help="the --applied days are all made up to this day (without it they are the complete record)",
    )
    add_format(a)
    a.set_defaults(func=_cmd_allowance)

    c = sub.add_parser("family-cost", help="a family's monthly net cost for one child at one facility")
    _fee_arguments(c)
    c.add_argument("--employer-allowance", default="0", help="the employer's monthly allowance to the parent")
    c.add_argument("--district-allowance", default="0", help="a district allowance reaching the family a month")
    c.add_argument("--birth", type=date_arg, help="the child's birth date: shows the national allowance alongside")
    _not_prc_national(c)
    c.add_argument("--facility", help="facility JSON file ('-' for stdin), assessed to read --pass-on entitlements")
    c.add_argument("--on", type=date_arg, help="the day whose rules apply to --facility, YYYY-MM-DD")
    c.add_argument(
        "--pass-on",
        action="append",
        default=[],
        metavar="PROGRAM",
        help="an entitlement of --facility passed on to the family per child per month (xiamen.siming_allowance)",
    )
    c.set_defaults(func=_cmd_family_cost)


def _citations(model: FeeQuote | FamilyCost | Allowance, out: TextIO) -> None:
    for c in model.citations:
        say(out, f"cites: {cited(c)}")


def _steps(steps: tuple[str, ...], out: TextIO) -> None:
    say(out, "Steps")
    for n, step in enumerate(steps, 1):
        say(out, f"  {n}. {step}")


def _cmd_fee(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    quote = parent_fee(args.market, allowance_monthly=args.allowance, **_fee_terms(args))
    return emit(quote, args.format, out, _print_fee)


def _print_fee(quote: FeeQuote, out: TextIO) -> None:
    say(out, f"fee        {format_yuan(quote.fee)} a month")
    say(out, f"allowance  {format_yuan(quote.allowance_monthly)} a month")
    say(out, f"net        {format_yuan(quote.net)} a month")
    cap = "no cap given" if quote.cap is None else f"cap {format_yuan(quote.cap)}"
    say(out, f"within cap {'yes' if quote.within_cap else 'no'} ({cap})")
    _steps(quote.steps, out)
    _citations(quote, out)


def _cmd_allowance(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    applied = args.applied if args.applied is not None or args.as_of is None else []
    allowance = childcare_allowance(
        args.birth, prc_national=not args.not_prc_national, applied=applied, as_of=args.as_of
    )
    return emit(allowance, args.format, out, _print_allowance)


def _print_allowance(allowance: Allowance, out: TextIO) -> None:
    say(out, f"National childcare allowance (育儿补贴) for a child born {allowance.birth.isoformat()}")
    say(out, f"months     {allowance.months}")
    rate = "-" if allowance.per_month is None else format_yuan(allowance.per_month)
    say(out, f"per month  {rate}")
    say(out, f"total      {format_yuan(allowance.total)}")
    if allowance.first_month is not None and allowance.last_month is not None:
        say(out, f"months     {allowance.first_month:%Y-%m} to {allowance.last_month:%Y-%m}")
    if allowance.by_year:
        say(out, "By year")
        for year in allowance.by_year:
            unit = "month " if year.months == 1 else "months"
            say(out, f"  {year.year}  {year.months:>2} {unit}  {format_yuan(year.amount):>10}")
    _print_claims(allowance, out)
    say(out, "Why")
    for reason in allowance.reasons:
        say(out, f"  - {reason}")
    _citations(allowance, out)


def _print_claims(allowance: Allowance, out: TextIO) -> None:
    if not allowance.claims:
        return
    say(out, "Claims (each year's application; by year above is a calendar attribution)")
    for c in allowance.claims:
        year = str(c.year) if c.year is not None else "/".join(map(str, c.years))
        unit = "month " if c.months == 1 else "months"
        by = f"apply by {c.apply_by}" if c.apply_by is not None else "no last day yet"
        status = "" if c.status is None else f"  {c.status}" + (f" {c.application}" if c.application else "")
        say(out, f"  {c.number}  {year:<9}  {c.months:>2} {unit}  {format_yuan(c.amount):>10}  {by:<19}{status}")
    if allowance.forfeited is not None:
        say(out, f"forfeited  {format_yuan(allowance.forfeited)}")


def _passed_on(args: argparse.Namespace, stdin: TextIO) -> tuple[Entitlement, ...]:
    if not args.pass_on:
        if args.facility is not None:
            raise BadInput("--facility is read only to pass entitlements on: give --pass-on PROGRAM")
        return ()
    if args.facility is None or args.on is None:
        raise BadInput("--pass-on needs --facility FILE and --on YYYY-MM-DD to assess the facility")
    assessment = assess(read_facility(args.facility, stdin), on=args.on)
    entries = []
    for program in args.pass_on:
        try:
            entries.append(assessment.entitlement(program))
        except KeyError:
            present = ", ".join(e.program for e in assessment.entitlements)
            raise BadInput(
                f"--pass-on: {program!r} is not an entitlement of the facility; present: {present}"
            ) from None
    return tuple(entries)


def _cmd_family_cost(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    cost = family_monthly_cost(
        args.market,
        employer_allowance=args.employer_allowance,
        district_allowance=args.district_allowance,
        passed_on=_passed_on(args, stdin),
        birth=args.birth,
        prc_national=not args.not_prc_national,
        **_fee_terms(args),
    )
    return emit(cost, args.format, out, _print_family_cost)


def _print_family_cost(cost: FamilyCost, out: TextIO) -> None:
    say(out, f"fee                 {format_yuan(cost.fee)} a month")
    say(out, f"employer allowance  {format_yuan(cost.employer_allowance)} a month")
    say(out, f"district allowance  {format_yuan(cost.district_allowance)} a month")
    say(out, f"net cost            {format_yuan(cost.net)} a month")
    if cost.national_allowance_per_month is not None:
        say(out, f"national allowance  {format_yuan(cost.national_allowance_per_month)} a month (not subtracted)")
    say(out, f"within cap          {'yes' if cost.quote.within_cap else 'no'}")
    _steps(cost.steps, out)
    _citations(cost, out)
