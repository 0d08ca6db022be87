"""Xiamen raises its operating subsidy: what does it cost for a portfolio of 100 facilities, and who pays?

The law (seed 000, 厦门市总工会): "对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助", a yearly operating
subsidy of 15,000 to 25,000 yuan per facility, paid by the Xiamen Federation of Trade Unions. The what-if
(``src/tuoyu_rules/examples/xiamen_operating_up.reform.json``, not law) raises the range to 20,000 to 30,000.

The portfolio (``src/tuoyu_rules/examples/portfolio_xiamen.jsonl``, written by ``tools/make_portfolio.py``)
has 100 Xiamen facilities in modes the subsidy names, none giving class sizes, so each gets the
per-facility range; 13 are self-built and self-run (one-time construction subsidy, 50,000 / 80,000 /
100,000), 5 are 2022 national caring employers (100,000 each, matched at least 1:1 by the Fujian union),
4 are 2024 national caring employers (per-unit amount not stated: open), and the 25 that buy places do not
say how many children of their own staff they place (Fujian's purchased-places subsidy: open).

The portfolio is streamed row by row, and each facility is assessed under the law and under the reform in
the same pass. Ranges stay ranges; a second run pins them by the ``mid`` strategy for a point estimate.

Run: ``python examples/xiamen_reform_budget.py``
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from tuoyu_rules import Reform
from tuoyu_rules.core.amounts import AmountRange
from tuoyu_rules.core.money import format_yuan
from tuoyu_rules.whatif import Budget, budget, read_jsonl

ON = dt.date(2024, 6, 1)
EXAMPLES = resources.files("tuoyu_rules.examples")


def show(amount: AmountRange) -> str:
    if amount.high is None:
        return f">= {format_yuan(amount.low)}"
    if amount.low == amount.high:
        return format_yuan(amount.low)
    return f"{format_yuan(amount.low)} - {format_yuan(amount.high)}"


def run(strategy: str | None) -> Budget:
    reform = Reform.loads(EXAMPLES.joinpath("xiamen_operating_up.reform.json").read_text(encoding="utf-8"))
    with EXAMPLES.joinpath("portfolio_xiamen.jsonl").open(encoding="utf-8") as rows:
        return budget(read_jsonl(rows), on=ON, reforms=[reform], strategy=strategy)


def report(result: Budget, title: str) -> None:
    base, reform = result.scenarios
    print(f"== {title}: {base.facilities} facilities, rules of {result.on} ==")
    print(f"{'payer':<14}{'basis':<10}{'baseline':>32}{'reform':>32}")
    for row in result.side_by_side():
        (b_amount, b_open), (r_amount, r_open) = row[base.name], row[reform.name]
        b_text = show(b_amount) + (f" (+{b_open} open)" if b_open else "")
        r_text = show(r_amount) + (f" (+{r_open} open)" if r_open else "")
        print(f"{row['payer']:<14}{row['basis']:<10}{b_text:>32}{r_text:>32}")
    b_op = base.program_total("xiamen.operating_subsidy")
    r_op = reform.program_total("xiamen.operating_subsidy")
    assert b_op is not None
    assert r_op is not None
    assert b_op.amount.high is not None
    assert r_op.amount.high is not None
    print(
        f"operating subsidy, {b_op.eligible} facilities eligible: baseline {show(b_op.amount)} a year, "
        f"reform {show(r_op.amount)} a year"
    )
    print(
        f"extra cost to xiamen.union per year: {format_yuan(r_op.amount.low - b_op.amount.low)} at the low bound, "
        f"{format_yuan(r_op.amount.high - b_op.amount.high)} at the high bound"
    )
    for t in base.by_program:
        for r in t.open_reasons:
            print(f"still open: {t.program} for {r.count} facilities (missing {r.reason})")
    print()


def main() -> None:
    report(run(None), "Ranges (the union decides inside them)")
    report(run("mid"), "Pinned by strategy 'mid'")


if __name__ == "__main__":
    main()
