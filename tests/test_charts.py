"""Charts of budgets, sweeps and projections (issue 17, for analysts), and the tables a notebook shows.

A range is drawn from its low to its high bound, an unbounded high is marked and never drawn as a number, the
baseline stands beside each reform, payers are named in the language asked (Chinese with a CJK font, or a clear
error), the same chart gives the same bytes, and a missing extra says how to install it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.whatif import Budget, charts

mpl_figure = pytest.importorskip("matplotlib.figure", reason="charts need the extra `charts` (matplotlib)")

ON = dt.date(2024, 6, 1)
EXAMPLES = resources.files("tuoyu_rules") / "examples"
PORTFOLIO = str(EXAMPLES / "portfolio_xiamen.jsonl")
REFORM = json.loads((EXAMPLES / "xiamen_operating_up.reform.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plain() -> Budget:
    return tr.budget(PORTFOLIO, on=ON)


@pytest.fixture(scope="module")
def reformed() -> Budget:
    return tr.budget(PORTFOLIO, on=ON, reforms=[tr.Reform.from_dict(REFORM)])


def _lines(b: Budget) -> list[tuple[str, str]]:
    return sorted({(t.payer, t.basis) for s in b.scenarios for t in s.by_payer})


def _patches(fig: Any, kind: str) -> dict[str, Any]:
    """The bars of one form (``low``, ``range``, ``open``) by their ``<line>-<scenario>`` key."""
    prefix = f"tuoyu-{kind}-"
    return {p.get_gid()[len(prefix) :]: p for p in fig.axes[0].patches if (p.get_gid() or "").startswith(prefix)}


def _svg(fig: Any, tmp_path: Path, name: str = "chart.svg") -> str:
    return charts.save(fig, tmp_path / name).read_text(encoding="utf-8")


# -- geometry ------------------------------------------------------------------------------------------------
def test_one_bar_per_payer_line(plain: Budget, tmp_path: Path) -> None:
    fig = plain.plot()
    lines = _lines(plain)
    assert len(lines) >= 3
    assert sorted(_patches(fig, "low")) == [f"{i}-0" for i in range(len(lines))]
    assert _svg(fig, tmp_path).count('id="tuoyu-low-') == len(lines)


def test_a_range_is_drawn_from_low_to_high(plain: Budget) -> None:
    fig = plain.plot()
    lines = _lines(plain)
    low, ranged = _patches(fig, "low"), _patches(fig, "range")
    checked = 0
    for i, (payer, basis) in enumerate(lines):
        total = plain.scenarios[0].payer_total(payer, basis)
        assert total is not None
        amount = total.amount
        bar = low[f"{i}-0"]
        assert (bar.get_x(), bar.get_width()) == (0.0, float(amount.low))
        if amount.high is not None and amount.high > amount.low:
            light = ranged[f"{i}-0"]
            assert light.get_x() == float(amount.low)
            assert light.get_x() + light.get_width() == pytest.approx(float(amount.high))
            assert light.get_alpha() < 1  # lighter than the solid low bar
            checked += 1
        else:
            assert f"{i}-0" not in ranged
    assert checked >= 1  # the example portfolio has a range (Xiamen's construction subsidy)


def test_an_unbounded_high_is_marked_never_a_number(plain: Budget) -> None:
    fig = plain.plot()
    ax = fig.axes[0]
    lines = _lines(plain)
    opened = _patches(fig, "open")
    unbounded = [i for i, (p, b) in enumerate(lines) if plain.scenarios[0].payer_total(p, b).amount.high is None]  # type: ignore[union-attr]
    assert unbounded  # Fujian's match has no upper bound
    assert sorted(opened) == [f"{i}-0" for i in unbounded]
    for i in unbounded:
        bar = opened[f"{i}-0"]
        assert bar.get_x() + bar.get_width() == pytest.approx(ax.get_xlim()[1])  # runs to the edge
        assert bar.get_hatch()
        assert [ln for ln in ax.lines if ln.get_gid() == f"tuoyu-unbounded-{i}-0"]  # an arrow head
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("at least 500,000 yuan") for t in texts)
    edge = f"{ax.get_xlim()[1]:,.0f}"
    assert not any(edge in t for t in texts)


def test_the_baseline_stands_beside_each_reform(reformed: Budget) -> None:
    fig = reformed.plot()
    lines = _lines(reformed)
    low = _patches(fig, "low")
    assert len(low) == 2 * len(lines)
    for i in range(len(lines)):
        base, reform = low[f"{i}-0"], low[f"{i}-1"]
        assert base.get_y() < reform.get_y() < i + 0.5  # in the same group, the baseline first
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:2] == ["law in force", "xiamen-operating-up"]
    assert {"low bound", "low to high bound", "no upper bound"} <= set(legend)


def test_a_sweep_draws_each_value_beside_the_baseline() -> None:
    values = [tr.AmountRange.of(10000, 20000), tr.AmountRange.of(30000, None)]
    result = tr.sweep(PORTFOLIO, on=ON, parameter="xiamen.operating_subsidy.amount", values=values)
    fig = result.plot()
    assert len(_patches(fig, "low")) == 3 * len(_lines(result))
    assert any(key.endswith("-2") for key in _patches(fig, "open"))  # the value with no upper bound


def test_a_projection_draws_years_and_payers() -> None:
    facility = tr.Facility.model_validate_json((EXAMPLES / "xiamen.json").read_text(encoding="utf-8"))
    p = tr.project(facility, start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    fig = p.plot()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025", "2026"]
    low = _patches(fig, "low")
    assert len(low) == len(p.totals())
    payers = sorted({t.payer for t in p.totals()})
    for t in p.totals():
        bar = low[f"{t.year - 2024}-{payers.index(t.payer)}"]
        assert (bar.get_y(), bar.get_height()) == (0.0, float(t.amount.low))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Xiamen Federation of Trade\nUnions" in legend


def test_plot_draws_on_the_axes_given(plain: Budget) -> None:
    fig = mpl_figure.Figure()
    ax = fig.add_subplot()
    assert plain.plot(ax=ax) is fig
    assert ax.get_legend() is not None


# -- bytes and files -----------------------------------------------------------------------------------------
def test_the_same_budget_gives_the_same_bytes(plain: Budget, tmp_path: Path) -> None:
    first = _svg(plain.plot(), tmp_path, "a.svg")
    assert first == _svg(plain.plot(), tmp_path, "b.svg")
    assert "<dc:date>" not in first
    png = [charts.save(plain.plot(), tmp_path / f"{n}.png").read_bytes() for n in "ab"]
    assert png[0] == png[1]
    assert png[0].startswith(b"\x89PNG")
    assert b"Software" not in png[0]


def test_a_chart_is_a_png_or_an_svg(plain: Budget, tmp_path: Path) -> None:
    with pytest.raises(tr.InvalidInput, match=r"\.png or an \.svg"):
        charts.save(plain.plot(), tmp_path / "chart.pdf")


def test_the_pictures_of_the_docs_are_of_this_budget(reformed: Budget) -> None:
    """``docs/how-to/charts.md`` shows what ``tools/make_chart_example.py`` draws: the budget the page computes, one
    bar per payer line and scenario (rerun the tool when this fails)."""
    folder = Path(__file__).resolve().parents[1] / "docs" / "how-to"
    for name in ("charts-budget.svg", "charts-budget-zh.svg"):
        svg = (folder / name).read_text(encoding="utf-8")
        assert svg.count('id="tuoyu-low-') == 2 * len(_lines(reformed)), name
        assert svg.count('id="tuoyu-unbounded-') == 2, name  # Fujian's match, under the law and the reform


# -- languages and fonts -------------------------------------------------------------------------------------
def test_chinese_labels_use_a_cjk_font(reformed: Budget, tmp_path: Path) -> None:
    family = charts.find_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): Chinese charts are refused, tested below")
    fig = reformed.plot(lang="zh")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "厦门市总工会（每年）" in labels
    assert all(t.get_fontfamily() == [family] for t in ax.get_yticklabels())
    assert ax.get_title().startswith("预算：100家托育机构")
    assert any(t.get_text().startswith("不低于50万元") for t in ax.texts)
    assert next(t.get_text() for t in fig.legends[0].get_texts()) == "现行政策"
    charts.save(fig, tmp_path / "zh.png")  # a missing glyph would warn, and warnings are errors here


def test_chinese_without_a_cjk_font_is_a_clear_error(plain: Budget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with pytest.raises(tr.InvalidInput, match=r"apt-get install fonts-noto-cjk"):
        plain.plot(lang="zh")


def test_a_font_is_named_or_refused(plain: Budget) -> None:
    with pytest.raises(tr.InvalidInput, match="no installed font is named 'No Such Font'"):
        plain.plot(font="No Such Font")
    with pytest.raises(tr.InvalidInput, match=r"'DejaVu Sans' cannot show"):
        plain.plot(lang="zh", font="DejaVu Sans")  # never tofu boxes
    fig = plain.plot(font="DejaVu Sans")
    assert fig.axes[0].get_yticklabels()[0].get_fontfamily() == ["DejaVu Sans"]


def test_an_unknown_language_is_refused(plain: Budget) -> None:
    with pytest.raises(tr.InvalidInput, match="lang"):
        plain.plot(lang="fr")  # type: ignore[arg-type]


# -- the extra -----------------------------------------------------------------------------------------------
def test_a_missing_extra_names_it(plain: Budget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'tuoyu_rules\[charts\]'"):
        plain.plot()


def test_importing_the_results_does_not_import_matplotlib() -> None:
    code = "import sys, tuoyu_rules.whatif, tuoyu_rules as tr; tr.Budget; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- the command line ----------------------------------------------------------------------------------------
def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def test_cli_budget_writes_a_chart(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    code, out, err = _run("budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--chart", str(target))
    assert (code, err) == (0, "")
    assert out  # the table is printed as before
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<?xml")
    assert svg.count('id="tuoyu-low-') == 4


def test_cli_chart_problems_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--chart")
    code, _, err = _run(*args, str(tmp_path / "out.pdf"))
    assert code == 2
    assert ".png or an .svg" in err
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, _, err = _run(*args, str(tmp_path / "out.png"))
    assert code == 2
    assert "pip install 'tuoyu_rules[charts]'" in err
    assert not (tmp_path / "out.png").exists()


# -- notebooks -----------------------------------------------------------------------------------------------
def test_notebook_tables_escape_every_text() -> None:
    hostile = {**REFORM, "name": "<script>alert(1)</script> & co"}
    b = tr.budget(PORTFOLIO, on=ON, reforms=[tr.Reform.from_dict(hostile)])
    page = b._repr_html_()
    assert page.startswith('<table class="tuoyu-budget">')
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>" not in page
    assert "at least 500,000 yuan; 29 entries undetermined" in page
    facility = tr.Facility.model_validate(
        {
            "jurisdiction": "xiamen",
            "mode": "self_run",
            "self_built": True,
            "places": 30,
            "enrolled": 20,
            "name": "<b>A&B</b>",
        }
    )
    assessment = tr.assess(facility, on=ON)
    table = assessment._repr_html_()
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in table
    assert "<b>" not in table
    assert table.count("<tr>") == 1 + len(assessment.entitlements) + len(assessment.obligations)
    assert len(table) < 3000  # compact: a notebook cell, not the 8,000 characters of the repr


def test_a_dollar_in_a_name_is_shown_as_it_is(tmp_path: Path) -> None:
    named = {**REFORM, "name": "cost $5 and $6"}
    fig = tr.budget(PORTFOLIO, on=ON, reforms=[tr.Reform.from_dict(named)]).plot()
    charts.save(fig, tmp_path / "dollar.png")  # no mathematics parsed from the name (it would fail on "$5 and $")
