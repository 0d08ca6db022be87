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
from decimal import Decimal
from typing import Any, TextIO

from ..core.engine import assess
from ..core.messages import Message, msg
from ..core.money import format_yuan
from ..core.results import Entitlement
from ..families import Allowance, FamilyCost, FeeQuote, childcare_allowance, family_monthly_cost, parent_fee
from .common import BadInput, add_format, add_rounding, cited, date_arg, emit, read_facility, say
from .lang import said


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
        say(out, said(msg("cli.cites", citation=cited(c))))


def _steps(steps: tuple[str, ...], out: TextIO) -> None:
    say(out, said(msg("cli.steps")))
    for n, step in enumerate(steps, 1):
        say(out, f"  {n}. {step}")


def _monthly(code: str, amount: Decimal) -> str:
    """A line ``<label> <amount> a month``: ``code`` says it (cli.fee.*, cli.cost.*)."""
    return said(Message(code, (("amount", format_yuan(amount)),)))


def _yes_no(value: bool) -> str:
    return said(msg("cli.yes" if value else "cli.no"))


def _months(n: int) -> str:
    """``12 months`` (`` 1 month `` padded, as the tables align it)."""
    return said(msg("cli.allowance.months_of", pad=" " if n < 10 else "", months=n))


def _cmd_fee(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    quote = parent_fee(args.market, allowance_monthly=args.allowance, **_fee_terms(args), lang=args.lang)
    return emit(quote, args.format, out, _print_fee)


def _print_fee(quote: FeeQuote, out: TextIO) -> None:
    say(out, _monthly("cli.fee.fee", quote.fee))
    say(out, _monthly("cli.fee.allowance", quote.allowance_monthly))
    say(out, _monthly("cli.fee.net", quote.net))
    cap = said(msg("cli.fee.no_cap") if quote.cap is None else msg("cli.fee.cap", amount=format_yuan(quote.cap)))
    say(out, said(msg("cli.fee.within_cap", answer=_yes_no(quote.within_cap), cap=cap)))
    _steps(quote.steps, out)
    _citations(quote, out)


def _cmd_allowance(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    applied = args.applied if args.applied is not None or args.as_of is None else []
    allowance = childcare_allowance(
        args.birth, prc_national=not args.not_prc_national, applied=applied, as_of=args.as_of, lang=args.lang
    )
    return emit(allowance, args.format, out, _print_allowance)


def _print_allowance(allowance: Allowance, out: TextIO) -> None:
    say(out, said(msg("cli.allowance.head", birth=allowance.birth)))
    say(out, said(msg("cli.allowance.months", months=allowance.months)))
    rate = allowance.per_month
    per_month = msg("cli.allowance.no_rate") if rate is None else msg("cli.allowance.rate", amount=format_yuan(rate))
    say(out, said(per_month))
    say(out, said(msg("cli.allowance.total", amount=format_yuan(allowance.total))))
    if allowance.first_month is not None and allowance.last_month is not None:
        first, last = f"{allowance.first_month:%Y-%m}", f"{allowance.last_month:%Y-%m}"
        say(out, said(msg("cli.allowance.span", first=first, last=last)))
    if allowance.by_year:
        say(out, said(msg("cli.allowance.by_year")))
        for year in allowance.by_year:
            amount = f"{format_yuan(year.amount):>10}"
            say(out, said(msg("cli.allowance.year", year=year.year, months=_months(year.months), amount=amount)))
    _print_claims(allowance, out)
    say(out, said(msg("cli.assess.why")))
    for reason in allowance.reasons:
        say(out, f"  - {reason}")
    _citations(allowance, out)


def _print_claims(allowance: Allowance, out: TextIO) -> None:
    if not allowance.claims:
        return
    say(out, said(msg("cli.allowance.claims")))
    for c in allowance.claims:
        year = str(c.year) if c.year is not None else "/".join(map(str, c.years))
        last = msg("cli.allowance.no_last_day") if c.apply_by is None else msg("cli.allowance.apply_by", day=c.apply_by)
        by = said(last)
        status = "" if c.status is None else f"  {_claim_status(c.status)}"
        status += f" {c.application}" if c.status is not None and c.application else ""
        amount = f"{format_yuan(c.amount):>10}"
        line = msg("cli.allowance.claim", number=c.number, year=f"{year:<9}", months=_months(c.months), amount=amount)
        say(out, said(line) + f"  {by:<19}{status}")
    if allowance.forfeited is not None:
        say(out, said(msg("cli.allowance.forfeited", amount=format_yuan(allowance.forfeited))))


CLAIM_STATUSES = {
    "applied": "cli.claim.applied",
    "open": "cli.claim.open",
    "forfeited": "cli.claim.forfeited",
    "undetermined": "cli.claim.undetermined",
}
"""A claim's status -> its code."""


def _claim_status(status: str) -> str:
    code = CLAIM_STATUSES.get(status)
    return status if code is None else said(Message(code))


def _passed_on(args: argparse.Namespace, stdin: TextIO) -> tuple[Entitlement, ...]:
    if not args.pass_on:
        if args.facility is not None:
            raise BadInput(msg("cli.cost.facility_alone", facility="--facility", option="--pass-on"))
        return ()
    if args.facility is None or args.on is None:
        raise BadInput(msg("cli.cost.pass_on_needs", option="--pass-on", facility="--facility", on="--on"))
    assessment = assess(read_facility(args.facility, stdin), on=args.on, lang=args.lang)
    entries = []
    for program in args.pass_on:
        try:
            entries.append(assessment.entitlement(program))
        except KeyError:
            present = ", ".join(e.program for e in assessment.entitlements)
            raise BadInput(
                msg("cli.cost.not_an_entitlement", option="--pass-on", program=repr(program), present=present)
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
        lang=args.lang,
    )
    return emit(cost, args.format, out, _print_family_cost)


def _print_family_cost(cost: FamilyCost, out: TextIO) -> None:
    say(out, _monthly("cli.cost.fee", cost.fee))
    say(out, _monthly("cli.cost.employer_allowance", cost.employer_allowance))
    say(out, _monthly("cli.cost.district_allowance", cost.district_allowance))
    say(out, _monthly("cli.cost.net", cost.net))
    if cost.national_allowance_per_month is not None:
        say(out, _monthly("cli.cost.national_allowance", cost.national_allowance_per_month))
    say(out, said(msg("cli.cost.within_cap", answer=_yes_no(cost.quote.within_cap))))
    _steps(cost.steps, out)
    _citations(cost, out)
