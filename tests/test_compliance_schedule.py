"""Hangzhou's on-site health guidance (每2个月至少到现场进行…技术指导1次) and Chengdu's targets to the end of 2025."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.compliance import (
    CHENGDU_TARGET_DEADLINE,
    check_health_guidance,
    chengdu_target_progress,
    health_guidance_gaps,
)
from tuoyu_rules.core.errors import InvalidInput

D = dt.date
RULE = "hangzhou.health_guidance.interval"


def spans(gaps: tuple[object, ...]) -> list[tuple[str, str, str, bool]]:
    return [(g.after.isoformat(), g.due.isoformat(), g.until.isoformat(), g.closed) for g in gaps]  # type: ignore[attr-defined]


def test_interval_is_read_from_the_data() -> None:
    value = tr.get_policy("hangzhou").parameters["hangzhou.health_guidance.interval_months"].value_on(D(2024, 1, 1))
    assert value is not None
    assert value.value == 2


# -- between visits ----------------------------------------------------------------------------------------------


def test_exactly_two_months_between_visits_is_on_time() -> None:
    """「每2个月至少…技术指导1次」: a visit exactly two months after the last keeps it."""
    assert health_guidance_gaps([D(2024, 1, 15), D(2024, 3, 15)], start=D(2024, 1, 15), end=D(2024, 3, 15)) == ()


def test_two_months_and_a_day_between_visits_is_a_gap() -> None:
    """「每2个月至少…技术指导1次」: two months and one day without a visit breaks it."""
    gaps = health_guidance_gaps([D(2024, 1, 15), D(2024, 3, 16)], start=D(2024, 1, 15), end=D(2024, 3, 16))
    assert spans(gaps) == [("2024-01-15", "2024-03-15", "2024-03-16", True)]
    assert gaps[0].after_visit
    assert gaps[0].days_overdue == 1


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (D(2023, 12, 31), D(2024, 2, 29)),  # leap year
        (D(2022, 12, 31), D(2023, 2, 28)),
        (D(2024, 6, 30), D(2024, 8, 30)),
        (D(2024, 8, 31), D(2024, 10, 31)),
        (D(2024, 7, 31), D(2024, 9, 30)),
    ],
)
def test_month_end_dates_are_due_on_the_shorter_months_last_day(last: dt.date, due: dt.date) -> None:
    """relativedelta(months=2): 31 December -> 28/29 February; the due day itself is on time, the next is late."""
    end = due + dt.timedelta(days=1)
    assert health_guidance_gaps([last, due], start=last, end=due) == ()
    gaps = health_guidance_gaps([last, end], start=last, end=end)
    assert spans(gaps) == [(last.isoformat(), due.isoformat(), end.isoformat(), True)]


# -- at the edges --------------------------------------------------------------------------------------------------


def test_from_start_to_the_first_visit() -> None:
    """The period's start is an anchor: the first visit is due within two months of it."""
    assert health_guidance_gaps([D(2024, 3, 1)], start=D(2024, 1, 1), end=D(2024, 3, 1)) == ()
    gaps = health_guidance_gaps([D(2024, 3, 2)], start=D(2024, 1, 1), end=D(2024, 3, 2))
    assert spans(gaps) == [("2024-01-01", "2024-03-01", "2024-03-02", True)]
    assert not gaps[0].after_visit


def test_from_the_last_visit_to_end() -> None:
    """Towards ``end``: a gap only once the next visit is overdue by ``end`` (reported with closed=False)."""
    assert health_guidance_gaps([D(2024, 1, 10)], start=D(2024, 1, 1), end=D(2024, 3, 10)) == ()
    gaps = health_guidance_gaps([D(2024, 1, 10)], start=D(2024, 1, 1), end=D(2024, 3, 11))
    assert spans(gaps) == [("2024-01-10", "2024-03-10", "2024-03-11", False)]


def test_no_visits_at_all() -> None:
    assert health_guidance_gaps([], start=D(2024, 1, 1), end=D(2024, 3, 1)) == ()
    gaps = health_guidance_gaps([], start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert spans(gaps) == [("2024-01-01", "2024-03-01", "2024-12-31", False)]


def test_visit_on_start_and_duplicates_count_once_order_does_not_matter() -> None:
    visits = [D(2024, 5, 1), D(2024, 1, 1), D(2024, 3, 1), D(2024, 3, 1)]
    assert health_guidance_gaps(visits, start=D(2024, 1, 1), end=D(2024, 7, 1)) == ()


def test_several_gaps_in_order() -> None:
    gaps = health_guidance_gaps([D(2024, 4, 1), D(2024, 5, 1)], start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert spans(gaps) == [
        ("2024-01-01", "2024-03-01", "2024-04-01", True),
        ("2024-05-01", "2024-07-01", "2024-12-31", False),
    ]


# -- input errors ----------------------------------------------------------------------------------------------


def test_visits_outside_the_period_are_errors_naming_the_visit() -> None:
    with pytest.raises(InvalidInput, match=r"visits\[1\]"):
        health_guidance_gaps([D(2024, 2, 1), D(2023, 12, 31)], start=D(2024, 1, 1), end=D(2024, 6, 1))
    with pytest.raises(InvalidInput, match=r"visits\[0\]"):
        health_guidance_gaps([D(2024, 6, 2)], start=D(2024, 1, 1), end=D(2024, 6, 1))


def test_end_before_start_and_non_dates_are_errors() -> None:
    with pytest.raises(InvalidInput, match="end"):
        health_guidance_gaps([], start=D(2024, 2, 1), end=D(2024, 1, 1))
    with pytest.raises(InvalidInput, match=r"visits\[0\]"):
        health_guidance_gaps(["2024-01-01"], start=D(2024, 1, 1), end=D(2024, 2, 1))  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="start"):
        health_guidance_gaps([], start=dt.datetime(2024, 1, 1), end=D(2024, 2, 1))


# -- report --------------------------------------------------------------------------------------------------------


def test_report_breaks_with_one_finding_per_gap() -> None:
    """「每2个月至少到现场进行儿童保健、膳食营养、疾病防控等技术指导1次」: each gap is a breach, cited."""
    report = check_health_guidance([D(2024, 4, 1)], start=D(2024, 1, 1), end=D(2024, 8, 1))
    assert report.outcomes(RULE) == ("breach", "breach")
    assert report.compliant is False
    assert report.findings[0].citations[0].id == "hangzhou.seed_health_guidance"
    assert "技术指导1次" in (report.findings[0].citations[0].quote or "")


def test_report_keeps_with_visits_every_two_months() -> None:
    report = check_health_guidance([D(2024, 3, 1), D(2024, 5, 1)], start=D(2024, 1, 1), end=D(2024, 7, 1))
    assert report.outcomes(RULE) == ("ok",)
    assert report.compliant is True


# -- properties --------------------------------------------------------------------------------------------------

_days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(a=_days, b=_days, visits=st.lists(_days, max_size=20))
def test_gaps_are_ordered_non_overlapping_and_longer_than_two_months(
    a: dt.date, b: dt.date, visits: list[dt.date]
) -> None:
    start, end = min(a, b), max(a, b)
    inside = [v for v in visits if start <= v <= end]
    gaps = health_guidance_gaps(inside, start=start, end=end)
    for g in gaps:
        assert g.until > g.after + relativedelta(months=2)
        assert g.due == g.after + relativedelta(months=2)
        assert start <= g.after < g.until <= end
        assert not any(g.after < v < g.until for v in inside)  # no visit inside a gap
    for x, y in itertools.pairwise(gaps):
        assert x.until <= y.after
    assert all(g.closed for g in gaps[:-1])


@given(start=_days, months=st.integers(min_value=0, max_value=36), day_shift=st.integers(min_value=0, max_value=27))
def test_a_visit_every_month_never_produces_a_gap(start: dt.date, months: int, day_shift: int) -> None:
    end = start + relativedelta(months=months)
    first = start + dt.timedelta(days=day_shift)
    visits = [first + relativedelta(months=k) for k in range(months + 1)]
    visits = [v for v in visits if v <= end]
    assert health_guidance_gaps(visits, start=start, end=end) == ()


# -- Chengdu's targets -----------------------------------------------------------------------------------------------

SITES = "chengdu.targets.demonstration_sites"
PILOTS = "chengdu.targets.pilots_per_district"


def test_targets_figures_come_from_the_data() -> None:
    params = tr.get_policy("chengdu").parameters
    assert params[SITES].values[0].value == 10
    assert params[PILOTS].values[0].value == 1
    assert D(2025, 12, 31) == CHENGDU_TARGET_DEADLINE


def test_demonstration_sites_met() -> None:
    """「到2025年底，全市建成不少于10家用人单位市级爱心托育示范点」: 10 sites meet it."""
    report = chengdu_target_progress({"武侯区": 1}, city_demonstration_sites=10, on=D(2026, 6, 1))
    (finding,) = report.for_rule(SITES)
    assert finding.outcome == "ok"
    assert finding.citations[0].id == "chengdu.seed_target_sites"
    assert report.compliant is True


def test_demonstration_sites_short_on_the_deadline_is_in_progress() -> None:
    """「到2025年底」: 9 sites on 2025-12-31 are still in progress, not a breach."""
    report = chengdu_target_progress({"武侯区": 1}, city_demonstration_sites=9, on=CHENGDU_TARGET_DEADLINE)
    assert report.outcomes(SITES) == ("in_progress",)
    assert report.compliant is None


def test_demonstration_sites_short_after_the_deadline_is_a_breach() -> None:
    """「到2025年底…不少于10家」: 9 sites on 2026-01-01 break the target."""
    report = chengdu_target_progress({"武侯区": 1}, city_demonstration_sites=9, on=D(2026, 1, 1))
    (finding,) = report.for_rule(SITES)
    assert finding.outcome == "breach"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.targets.sites_short_late"
    assert finding.explanation.params["short"] == "1"
    assert "1 short" in finding.message
    assert report.compliant is False


def test_pilots_per_district() -> None:
    """「每个区（市）县总工会（办事处）推动至少1个以上用人单位开展爱心托育服务试点工作」: one finding per district."""
    districts = {"锦江区": 0, "武侯区": 2, "简阳市": 1}
    before = chengdu_target_progress(districts, city_demonstration_sites=10, on=D(2025, 6, 1))
    assert [(f.concerns, f.outcome) for f in before.for_rule(PILOTS)] == [
        ("sites_by_district[武侯区]", "ok"),
        ("sites_by_district[简阳市]", "ok"),
        ("sites_by_district[锦江区]", "in_progress"),
    ]
    after = chengdu_target_progress(districts, city_demonstration_sites=10, on=D(2026, 1, 1))
    assert after.outcomes(PILOTS) == ("ok", "ok", "breach")
    assert after.for_rule(PILOTS)[0].citations[0].id == "chengdu.seed_target_pilots"


def test_no_districts_cannot_check_the_pilots() -> None:
    report = chengdu_target_progress({}, city_demonstration_sites=10, on=D(2026, 1, 1))
    assert report.outcomes(PILOTS) == ("cannot_check",)
    assert report.compliant is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sites_by_district": {"武侯区": -1}, "city_demonstration_sites": 1}, r"sites_by_district\[武侯区\]"),
        ({"sites_by_district": {"武侯区": True}, "city_demonstration_sites": 1}, r"sites_by_district\[武侯区\]"),
        ({"sites_by_district": {"": 1}, "city_demonstration_sites": 1}, "sites_by_district"),
        ({"sites_by_district": {}, "city_demonstration_sites": 1.0}, "city_demonstration_sites"),
        ({"sites_by_district": [("a", 1)], "city_demonstration_sites": 1}, "sites_by_district"),
    ],
)
def test_target_input_errors(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        chengdu_target_progress(on=D(2025, 1, 1), **kwargs)  # type: ignore[arg-type]
