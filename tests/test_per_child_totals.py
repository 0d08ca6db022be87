"""Per-child amounts counted as totals (issue 13, "Money that is counted wrong today").

Every entitlement carries ``children`` (the count its rule reads for a ``per_child_month`` amount) and ``total``
(rate times children, a monthly sum for the facility; the amount itself for other bases). Budgets, tallies, the
column path and projections add totals, never rates.

The clauses the counts rest on:

* Hangzhou, seed 000 (浙江省杭州市卫生健康委 experience report): 「对认定为普惠机构的嵌入式托育机构给予每月300~900元
  不等补助」: 300-900 a month, read per enrolled child per month (the documented default reading; the seed does not
  say per what). A reform may choose the per-facility reading (``hangzhou.puhui_subsidy.basis = per_month``).
* Sichuan, 四川省普惠托育服务机构认定及补助管理办法（试行） (via 雅安日报, official): 200 yuan per *full-day enrolled*
  child per month (split since issue 13 into the provincial half and the city-and-county rest: China Daily
  2025-08-22; these tests add the shares, so they hold either way).
* Siming, Xiamen Daily 2022-04-14 (official): 100 yuan per child per month for *employees'* children aged 0-3 at a
  filed facility, the employer's union paying its dues.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.whatif as cli_whatif
from tuoyu_rules.batch import assess_many, tally, tally_columns
from tuoyu_rules.core.boundary import outcome_problem as _outcome_problem
from tuoyu_rules.core.policy import Outcome
from tuoyu_rules.io.export import tables, to_csv
from tuoyu_rules.whatif import budget, project

HANGZHOU_DAY = dt.date(2025, 6, 1)  # the seed's 300-900 in force (to 2026-01-31)
SIMING_DAY = dt.date(2024, 6, 1)
PUHUI_HZ = "hangzhou.puhui_subsidy"
SIMING = "xiamen.siming_allowance"
HZ_PAYER = "hangzhou.health_commission"
SEED_HZ = "对认定为普惠机构的嵌入式托育机构给予每月300~900元不等补助"


def hangzhou(enrolled: int, amount: str | None = None, **extra: Any) -> dict[str, Any]:
    designation: dict[str, Any] = {"program": "hangzhou.puhui", "year": 2024}
    if amount is not None:
        designation["amount"] = amount
    return {
        "jurisdiction": "hangzhou",
        "mode": "third_party",
        "embedded": True,
        "filed": True,
        "places": max(enrolled, 1),
        "enrolled": enrolled,
        "designations": [designation],
        **extra,
    }


def chengdu(enrolled: int = 20, full_day: int | None = 12, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "jurisdiction": "chengdu",
        "mode": "self_run",
        "places": max(enrolled, 1),
        "enrolled": enrolled,
        "filed": True,
        "designations": [{"program": "sichuan.puhui", "year": 2025}],
        **extra,
    }
    if full_day is not None:
        data["full_day_enrolled"] = full_day
    return data


def siming(staff: int | None, enrolled: int = 20) -> dict[str, Any]:
    data: dict[str, Any] = {
        "jurisdiction": "siming",
        "mode": "self_run",
        "places": max(enrolled, 1),
        "enrolled": enrolled,
        "filed": True,
        "union_dues_paid": True,
    }
    if staff is not None:
        data["staff_children"] = staff
    return data


def facility(data: dict[str, Any]) -> tr.Facility:
    return tr.Facility.model_validate(data)


def sichuan_shares(a: tr.Assessment) -> list[tr.Entitlement]:
    """The Sichuan 普惠 subsidy's entitlements (one, or one per published share)."""
    found = [e for e in a.entitlements if e.program.startswith("sichuan.puhui_subsidy")]
    assert found
    return found


def yuan(value: int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


# -- every entry carries its count and its total ------------------------------------------------------------


def test_hangzhou_counts_the_enrolled_children() -> None:
    """Seed 000 「每月300~900元」, default reading per enrolled child: 50 children -> 15,000 - 45,000 a month."""
    e = tr.assess(facility(hangzhou(50)), on=HANGZHOU_DAY).entitlement(PUHUI_HZ)
    assert e.citations[0].quote == SEED_HZ
    assert (e.status, e.basis, e.children) == ("eligible", "per_child_month", 50)
    assert (e.amount.low, e.amount.high) == (yuan(300), yuan(900))  # the rate is still the rate
    assert (e.total.low, e.total.high) == (yuan(15_000), yuan(45_000))
    assert e.total_basis == "per_month"


def test_sichuan_counts_the_full_day_children_not_the_enrolled() -> None:
    """四川省普惠托育服务机构认定及补助管理办法: 200 per full-day enrolled child: 12 of 20 -> 2,400 a month."""
    a = tr.assess(facility(chengdu(20, 12)), on=dt.date(2025, 10, 1))
    shares = sichuan_shares(a)
    assert {e.children for e in shares} == {12}
    assert sum((e.total.low for e in shares), Decimal(0)) == yuan(2_400)
    assert sum((e.amount.low for e in shares), Decimal(0)) == yuan(200)


def test_siming_counts_the_employees_children() -> None:
    """Xiamen Daily 2022-04-14: 100 per employee's child per month: 7 of 20 enrolled -> 700 a month."""
    e = tr.assess(facility(siming(7)), on=SIMING_DAY).entitlement(SIMING)
    assert (e.status, e.children, e.total.low, e.total.high) == ("eligible", 7, yuan(700), yuan(700))


@pytest.mark.parametrize(
    ("data", "program", "fact"),
    [(chengdu(full_day=None), "sichuan.puhui_subsidy", "full_day_enrolled"), (siming(None), SIMING, "staff_children")],
)
def test_an_unsupplied_count_is_never_guessed(data: dict[str, Any], program: str, fact: str) -> None:
    """No count, no monthly sum: the status stays as the rule gives it, the fact is in missing, total is open."""
    on = dt.date(2025, 10, 1)
    e = tr.assess(facility(data), on=on).entitlement(program)
    assert (e.status, e.children) == ("eligible", None)
    assert fact in e.missing
    assert (e.total.low, e.total.high) == (yuan(0), None)
    assert e.total_status == "undetermined"
    t = budget([facility(data)], on=on).scenarios[0].program_total(program)
    assert t is not None
    assert (t.eligible, t.undetermined, t.amount, t.children) == (0, 1, tr.AmountRange.zero(), None)
    assert any(r.reason == fact for r in t.open_reasons)


def test_other_bases_carry_no_count_and_their_total_is_the_amount(xiamen_self_built: tr.Facility) -> None:
    """A one-time, yearly or matching amount is not per child: children is None and total is the amount."""
    designated = xiamen_self_built.model_copy(update={"designations": (tr.Designation("cn.caring_employer", 2022),)})
    a = tr.assess(designated, on=dt.date(2024, 6, 1))
    assert a.obligations
    for e in (*a.entitlements, *a.obligations):
        assert e.basis != "per_child_month"
        assert (e.children, e.total, e.total_basis) == (None, e.amount, e.basis)


def test_a_pinned_per_child_rate_is_multiplied_once_exactly() -> None:
    """A designation's amount pins the rate; the total is that rate times the children, no rounding."""
    e = tr.assess(facility(hangzhou(3, "333.33")), on=HANGZHOU_DAY).entitlement(PUHUI_HZ)
    assert (e.amount.low, e.children, e.total.low, e.total.high) == (yuan("333.33"), 3, yuan("999.99"), yuan("999.99"))


def test_a_dumped_assessment_round_trips_and_a_tampered_total_is_refused() -> None:
    a = tr.assess(facility(hangzhou(50)), on=HANGZHOU_DAY)
    assert tr.Assessment.model_validate_json(a.model_dump_json()) == a
    dumped = a.entitlement(PUHUI_HZ).model_dump(mode="json")
    assert (dumped["children"], dumped["total"]["low"]) == (50, "15000.00")
    with pytest.raises(ValidationError, match="total"):
        tr.Entitlement.model_validate({**dumped, "total": dumped["amount"]})  # the rate passed off as the total
    with pytest.raises(ValidationError, match="per_child_month"):
        tr.Entitlement.model_validate({**dumped, "basis": "per_month"})  # a count on a per-month amount


def test_a_rule_returning_a_bad_count_is_named() -> None:
    program = tr.get_policy("hangzhou").program(PUHUI_HZ)
    bad = Outcome("eligible", tr.AmountRange.exactly("300"), ("x",), children=-1)
    assert "children" in (_outcome_problem(bad, program) or "")
    flag = dataclasses.replace(bad, children=True)
    assert "children" in (_outcome_problem(flag, program) or "")
    assert _outcome_problem(dataclasses.replace(bad, children=4), program) is None


# -- Hangzhou's per-facility reading (issue 13: its first reason said "per child") ---------------------------


def test_the_per_facility_reading_says_nothing_per_child() -> None:
    """A reform reading 每月300~900元 per facility: no count, the total is the amount, and no reason says per child."""
    reform = (
        tr.Reform.of("per-facility")
        .set(
            f"{PUHUI_HZ}.basis",
            kind="choice",
            choice="per_month",
            options=["per_child_month", "per_month"],
        )
        .build()
    )
    e = tr.assess(facility(hangzhou(50)), on=HANGZHOU_DAY, reform=reform).entitlement(PUHUI_HZ)
    assert (e.basis, e.children, e.total) == ("per_month", None, e.amount)
    assert not any("per child" in r for r in e.reasons), e.reasons
    assert "per-facility reading" in e.reasons[0]
    assert "每月300~900元" in e.reasons[0]


# -- budgets, tallies, the column path ----------------------------------------------------------------------


def issue_portfolio() -> list[dict[str, Any]]:
    """The issue's figure: two Hangzhou 普惠 facilities with 50 and 2 children."""
    return [hangzhou(50), hangzhou(2)]


def test_the_issue_budget_is_a_monthly_sum_with_its_children() -> None:
    """It reported "600.00 - 1,800.00 per_child_month" (two rates added); the monthly cost is 15,600 - 46,800."""
    s = budget([facility(r) for r in issue_portfolio()], on=HANGZHOU_DAY).scenarios[0]
    t = s.program_total(PUHUI_HZ)
    assert t is not None
    assert (t.basis, t.children, t.eligible) == ("per_month", 52, 2)
    assert (t.amount.low, t.amount.high) == (yuan(15_600), yuan(46_800))
    payer = s.payer_total(HZ_PAYER, "per_month")
    assert payer is not None
    assert (payer.amount.low, payer.amount.high) == (yuan(15_600), yuan(46_800))
    assert all(p.basis != "per_child_month" for p in s.by_payer)


def test_tallies_and_the_column_path_add_totals() -> None:
    rows = issue_portfolio()
    fen = tally(rows, on=HANGZHOU_DAY)[(HZ_PAYER, "per_month")]
    assert (fen.low, fen.high, fen.eligible, fen.children) == (1_560_000, 4_680_000, 2, 52)
    assert (HZ_PAYER, "per_child_month") not in tally(rows, on=HANGZHOU_DAY)
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    assert tally_columns(columns, on=HANGZHOU_DAY, backend="python")[(HZ_PAYER, "per_month")] == fen
    entries = next(iter(assess_many(rows[:1], on=HANGZHOU_DAY, output="fen")))
    mine = next(e for e in entries if e.program == PUHUI_HZ)
    assert (mine.low, mine.children, mine.total_low, mine.total_high) == (30_000, 50, 1_500_000, 4_500_000)


def test_the_issue_budget_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_whatif,))
    path = tmp_path / "hz.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in issue_portfolio()), encoding="utf-8")

    def run(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        assert cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
        return out.getvalue()

    text = run("budget", str(path), "--on", "2025-06-01")
    assert "15,600.00 - 46,800.00" in text
    assert "600.00 - 1,800.00" not in text
    assert "per_child_month" not in text
    assert "children" in text
    data = json.loads(run("budget", str(path), "--on", "2025-06-01", "--format", "json"))
    (prog,) = [t for t in data["scenarios"][0]["by_program"] if t["program"] == PUHUI_HZ]
    assert (prog["basis"], prog["children"], prog["amount"]) == (
        "per_month",
        52,
        {"low": "15600.00", "high": "46800.00", "allowed": None},
    )
    rows = list(csv.DictReader(io.StringIO(run("budget", str(path), "--on", "2025-06-01", "--format", "csv"))))
    (line,) = [r for r in rows if r["table"] == "by_program" and r["program"] == PUHUI_HZ]
    assert (line["children"], line["low"], line["high"]) == ("52", "15600.00", "46800.00")


_RATES = st.integers(30_000, 90_000).map(lambda fen: f"{fen // 100}.{fen % 100:02d}")


@st.composite
def per_child_facility(draw: st.DrawFn) -> dict[str, Any]:
    """A facility of a per-child programme: Hangzhou (enrolled, rate pinned or not), Chengdu, Siming."""
    kind = draw(st.sampled_from(["hangzhou", "chengdu", "siming"]))
    enrolled = draw(st.integers(0, 60))
    if kind == "hangzhou":
        return hangzhou(enrolled, draw(st.none() | _RATES))
    counted = draw(st.integers(0, enrolled))
    return chengdu(enrolled, counted) if kind == "chengdu" else siming(counted, enrolled)


def counted(data: dict[str, Any]) -> int:
    """The count each source names, read from the facility data (not from the entry)."""
    field = {"hangzhou": "enrolled", "chengdu": "full_day_enrolled", "siming": "staff_children"}[data["jurisdiction"]]
    return int(data[field])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(per_child_facility(), max_size=6))
def test_a_budgets_per_child_total_is_the_sum_of_rate_times_children(rows: list[dict[str, Any]]) -> None:
    """Property (issue 13): a budget's per-child total equals the sum over facilities of rate times children."""
    on = dt.date(2025, 10, 1)
    scenario = budget([facility(r) for r in rows], on=on).scenarios[0]
    expected: dict[tuple[str, str], list[Any]] = {}
    for data in rows:
        for e in tr.assess(facility(data), on=on).entitlements:
            if e.basis != "per_child_month" or e.status != "eligible":
                continue
            n = counted(data)
            sums = expected.setdefault((e.program, e.payer), [Decimal(0), Decimal(0), 0])
            assert e.amount.high is not None
            sums[0] += e.amount.low * n
            sums[1] += e.amount.high * n
            sums[2] += n
    for (program, payer), (low, high, children) in expected.items():
        t = scenario.program_total(program, payer)
        assert t is not None
        assert (t.basis, t.amount.low, t.amount.high, t.children) == ("per_month", low, high, children)


# -- projections ----------------------------------------------------------------------------------------------


def test_a_projection_uses_each_entrys_own_count() -> None:
    """Chengdu, 20 enrolled, 12 full-day, Sep-Dec 2025: it gave 16,000 (20 x 200 x 4); the rule gives 9,600."""
    p = project(facility(chengdu(20, 12)), start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31))
    assert p.total() == tr.AmountRange.exactly(9_600)
    assert {ln.paid_units for ln in p.lines if ln.program.startswith("sichuan.puhui")} == {"48 child-months paid"}


def test_a_projection_of_siming_counts_the_employees_children() -> None:
    p = project(facility(siming(7)), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert p.line(2024, SIMING).amount == tr.AmountRange.exactly(7 * 100 * 12)


def test_enrolment_by_month_moves_the_enrolled_count_only() -> None:
    """Hangzhou counts the enrolled children: a month's enrolment is its count. Sichuan counts the full-day
    children: a month below that count is an error naming the month (never a guessed full-day count)."""
    hz = facility(hangzhou(20))
    p = project(hz, start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 31), enrolment={"2025-09": 5, "2025-10": 8})
    assert p.line(2025, PUHUI_HZ).amount == tr.AmountRange.of(13 * 300, 13 * 900)
    cd = facility(chengdu(20, 12))
    same = project(cd, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment=15)
    assert same.total() == tr.AmountRange.exactly(12 * 200)  # the full-day count is the facility's own
    with pytest.raises(tr.InvalidInput, match=r"enrolment\[2025-09\].*full_day_enrolled"):
        project(cd, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment=10)
    held = tr.assess(hz, on=dt.date(2025, 9, 1))
    with pytest.raises(tr.InvalidInput, match="enrolment"):
        project(held, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment=5)


def test_a_projection_with_no_count_is_open_not_zero() -> None:
    p = project(facility(chengdu(full_day=None)), start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 31))
    line = p.line(2025, "sichuan.puhui_subsidy")
    assert (line.amount, line.undetermined) == (tr.AmountRange.zero(), 2)
    assert "missing full_day_enrolled" in line.open_reasons


def test_the_project_command_shows_the_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_whatif,))
    path = tmp_path / "cd.json"
    path.write_text(json.dumps(chengdu(20, 12)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    argv = ["project", str(path), "--start", "2025-09-01", "--end", "2025-12-31"]
    assert cli.main(argv, stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
    assert "48 child-months paid" in out.getvalue()
    assert "16,000.00" not in out.getvalue()


# -- exports --------------------------------------------------------------------------------------------------


def test_the_entries_table_shows_children_and_total() -> None:
    a = tr.assess(facility(hangzhou(50)), on=HANGZHOU_DAY)
    (entries,) = tables(a)
    program = entries.columns.index("program")  # issue 15: facility_id leads the columns
    row = dict(zip(entries.columns, next(r for r in entries.rows if r[program] == PUHUI_HZ), strict=True))
    assert (row["low"], row["children"], row["total_low"], row["total_high"]) == (
        yuan(300),
        50,
        yuan(15_000),
        yuan(45_000),
    )
    text = list(csv.DictReader(io.StringIO(to_csv(a))))
    assert next(r for r in text if r["program"] == PUHUI_HZ)["total_high"] == "45000.00"
