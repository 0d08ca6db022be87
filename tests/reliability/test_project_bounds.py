"""A projection's work is bounded by what the data can say (issue 18: ``tr.project`` over 0001 to 9999 took a
minute of CPU).

A month or year in which no money-bearing programme of the layers is in force pays nothing and is skipped
without an assessment; the months in which one is in force are at most ``MAX_PROJECTION_MONTHS`` (100 years),
else an ``InvalidInput`` naming ``end``, raised before any assessment. No timing is asserted: the tests count
the assessments made.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.core import registry
from tuoyu_rules.whatif import projection
from tuoyu_rules.whatif.periods import MAX_PROJECTION_MONTHS, any_in_force, months_in_force

FIRST, LAST = dt.date(1, 1, 1), dt.date(9999, 11, 30)


@pytest.fixture
def assessments(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The days the projection assessed on, in order (``projection.assess`` counted)."""
    days: list[dt.date] = []
    real = projection.assess  # type: ignore[attr-defined]

    def counted(*args: Any, **kwargs: Any) -> tr.Assessment:
        days.append(kwargs["on"])
        return real(*args, **kwargs)

    monkeypatch.setattr(projection, "assess", counted)
    return days


def hangzhou() -> tr.Facility:
    return tr.Facility(jurisdiction="hangzhou", mode="self_run", places=30, enrolled=20)


def test_the_bound_is_a_century() -> None:
    assert MAX_PROJECTION_MONTHS == 1200


@pytest.mark.parametrize("held", [False, True], ids=["facility", "assessment"])
def test_0001_to_9999_is_refused_before_any_assessment(assessments: list[dt.date], held: bool) -> None:
    subject = tr.assess(hangzhou(), on=dt.date(2024, 6, 1)) if held else hangzhou()
    assessments.clear()
    with pytest.raises(tr.InvalidInput) as info:
        tr.project(subject, start=FIRST, end=LAST)
    assert info.value.field == "end"
    assert "119,987 months in which a programme of 'hangzhou' is in force" in info.value.problem
    assert "at most 1,200 (100 years)" in info.value.problem
    assert assessments == []


def test_a_century_is_projected_with_one_assessment_a_month(assessments: list[dt.date]) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2123, 12, 31)
    p = tr.project(hangzhou(), start=start, end=end)
    assert len(assessments) == 1200
    assert sorted(set(assessments)) == assessments  # each month's reference day once, in order
    assert {t.year for t in p.totals()} <= set(range(2024, 2124))
    with pytest.raises(tr.InvalidInput, match="1,201 months"):
        tr.project(hangzhou(), start=start, end=dt.date(2124, 1, 1))


def test_the_cli_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(hangzhou().model_dump_json(), encoding="utf-8")
    err = io.StringIO()
    code = cli.main(
        ["project", str(path), "--start", "0001-01-01", "--end", "9999-11-30"], stdout=io.StringIO(), stderr=err
    )
    assert code == 2
    assert err.getvalue().startswith("tuoyu: error: end: the period 0001-01-01 to 9999-11-30 has 119,987 months")
    assert err.getvalue().count("\n") == 1


# -- months in which nothing is in force are free ---------------------------------------------------------------------


def _policies() -> tuple[dict[str, Any], dict[str, Any]]:
    """A made-up nation with no programme, and a city under it whose one programme runs through 2024."""
    nation = plugin_data("datedland", code="990000", level="national", parent=None)
    monthly = {
        "name_zh": "月补助",
        "name_en": "Monthly",
        "basis": "per_month",
        "start": dt.date(2024, 1, 1),
        "end": dt.date(2024, 12, 31),
    }
    city = plugin_data("datedcity", code="990100", parent="datedland", programs={"datedcity.monthly": monthly})
    return nation, city


def _monthly(ctx: tr.RuleContext) -> tr.Outcome:
    return ctx.eligible(tr.AmountRange.of("1000", "1000"), "1,000 a month")


@pytest.fixture
def dated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    nation, city = _policies()
    serve_plugins(
        monkeypatch,
        datedland=lambda: tr.build_policy(nation, {}, origin="test"),
        datedcity=lambda: tr.build_policy(city, {"datedcity.monthly": _monthly}, origin="test"),
    )
    yield
    registry._reset()


@pytest.mark.usefixtures("dated")
@pytest.mark.parametrize("prorate", [False, True])
def test_months_outside_every_programme_are_skipped_not_assessed(assessments: list[dt.date], prorate: bool) -> None:
    facility = tr.Facility(jurisdiction="datedcity", mode="self_run", places=10, enrolled=5)
    whole = tr.project(facility, start=FIRST, end=LAST, prorate=prorate)
    # the one-time day (the period's first) and each month of 2024: nothing else is assessed
    assert assessments == [FIRST, *(dt.date(2024, m, 1) for m in range(1, 13))]
    year = tr.project(facility, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), prorate=prorate)
    assert whole.lines == year.lines
    assert [(t.year, str(t.amount.low)) for t in whole.totals()] == [(2024, "12000.00")]


def test_months_in_force_counts_each_month_once() -> None:
    d = dt.date
    spans = ((d(2024, 1, 15), d(2024, 3, 1)), (d(2024, 2, 1), d(2024, 6, 30)), (d(2030, 1, 1), None))
    assert months_in_force(spans, d(2020, 1, 1), d(2030, 12, 31)) == 6 + 12
    assert months_in_force(spans, d(2024, 4, 1), d(2024, 4, 1)) == 1
    assert months_in_force((), FIRST, LAST) == 0
    assert months_in_force(((None, None),), FIRST, LAST) == 9999 * 12 - 1
    assert any_in_force(spans, d(2024, 3, 1), d(2024, 3, 31))
    assert not any_in_force(spans, d(2025, 1, 1), d(2029, 12, 31))
