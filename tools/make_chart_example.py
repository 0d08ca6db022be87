"""Write the pictures of ``docs/how-to/charts.md``: the bundled Xiamen portfolio's budget on 2024-06-01, under the
law and under the reform ``xiamen-operating-up`` (Xiamen's yearly operating subsidy raised to 20,000-30,000),
drawn in English (``charts-budget.svg``) and in Chinese (``charts-budget-zh.svg``).

    python tools/make_chart_example.py            # needs the extra `charts` and, for Chinese, a CJK font

The same budget gives the same bytes (with the same matplotlib and fonts), so a rerun changes the files only when
the data, the drawing or matplotlib changed. ``tests/test_charts.py`` checks that the pictures still have one bar
per payer line and scenario of the budget the page computes.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import tuoyu_rules as tr
from tuoyu_rules.whatif import charts

DOCS = Path(__file__).resolve().parents[1] / "docs" / "how-to"
PICTURES = {"en": DOCS / "charts-budget.svg", "zh": DOCS / "charts-budget-zh.svg"}


def example_budget() -> tr.Budget:
    """The budget the page draws: the bundled portfolio, the law and one reform."""
    portfolio = resources.files("tuoyu_rules") / "examples" / "portfolio_xiamen.jsonl"
    reform = (
        tr.Reform.of("xiamen-operating-up")
        .set("xiamen.operating_subsidy.amount", kind="range", low="20000", high="30000")
        .build()
    )
    return tr.budget(str(portfolio), on=dt.date(2024, 6, 1), reforms=[reform])


def main() -> None:
    budget = example_budget()
    for lang, path in PICTURES.items():
        charts.save(budget.plot(lang="zh" if lang == "zh" else "en"), path)
        print(f"wrote {path.relative_to(DOCS.parents[1])} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
