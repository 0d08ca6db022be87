"""The compliance commands of ``tuoyu`` (check-spending, check-standards, guidance-gaps, targets)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.compliance as cli_compliance


@pytest.fixture(autouse=True)
def _wired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_compliance,))
    monkeypatch.setenv("TUOYU_LANG", "en")  # these tests read the English output, whatever the locale


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


PLAN: dict[str, Any] = {
    "items": [
        {"category": "childcare_service", "amount": "12000", "payee": "childcare_provider", "settlement": "invoice"},
        {"category": "bonus", "amount": 500.5, "payee": "worker", "settlement": "cash"},
    ],
    "budget": "10000",
    "work_plan": True,
    "collective_decision": False,
}


def test_check_spending_json_from_stdin() -> None:
    """check-spending prints the report's model_dump(mode='json'); JSON fractions are read as exact decimals."""
    code, out, err = run("check-spending", "-", "--format", "json", stdin=json.dumps(PLAN))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["compliant"] is False
    breached = {f["rule"] for f in data["findings"] if f["outcome"] == "breach"}
    assert {
        "chengdu.union_fund_rules.no_cash",
        "chengdu.union_fund_rules.no_office_costs",
        "chengdu.union_fund_rules.budget",
        "chengdu.union_fund_rules.collective_decision",
        "chengdu.union_fund_rules.no_direct_subsidies",
    } <= breached
    assert "12,500.50" in json.dumps(data, ensure_ascii=False)


def test_check_spending_table_from_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN), encoding="utf-8")
    code, out, _ = run("check-spending", str(path))
    assert code == 0
    assert "NOT compliant" in out
    assert "八不准" in out
    assert "chengdu.fund_no_cash_or_prepaid_cards" in out


@pytest.mark.parametrize(
    ("stdin", "needle"),
    [
        ("{", "invalid JSON"),
        ('{"items": [], "budget": NaN, "work_plan": true, "collective_decision": true}', "NaN"),
        ('{"items": [], "budget": "1", "work_plan": true}', "collective_decision"),
        (
            '{"items": [{"category": "coffee", "amount": "1", "payee": "union", "settlement": "cash"}], '
            '"budget": "1", "work_plan": true, "collective_decision": true}',
            "category",
        ),
    ],
)
def test_check_spending_bad_input_exits_2_with_one_line(stdin: str, needle: str) -> None:
    code, out, err = run("check-spending", "-", stdin=stdin)
    assert code == 2
    assert out == ""
    assert needle in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("check-spending", str(tmp_path / "nope.json"))
    assert code == 2
    assert "cannot read" in err


def test_check_standards() -> None:
    data = {
        "jurisdiction": "hangzhou",
        "classes": [{"kind": "infant", "children": 10, "carers": 3, "youngest_months": 6, "oldest_months": 11}],
        "places": 10,
        "building_area_m2": "120",
        "min_area_per_place_m2": 12,
    }
    code, out, _ = run("check-standards", "-", "--on", "2024-06-01", "--format", "json", stdin=json.dumps(data))
    assert code == 0
    report = json.loads(out)
    outcomes = {f["rule"]: f["outcome"] for f in report["findings"]}
    assert outcomes["cn.facility_standard.carer_ratio"] == "breach"
    assert outcomes["hangzhou.facility_limits"] == "ok"
    assert outcomes["area_per_place"] == "ok"
    code, out, _ = run("check-standards", "-", "--on", "2024-06-01", stdin=json.dumps(data))
    assert code == 0
    assert "乳儿班" in out


def test_check_standards_needs_on_and_a_valid_date() -> None:
    code, _, err = run("check-standards", "-", stdin="{}")
    assert code == 2
    assert "--on" in err
    code, _, err = run("check-standards", "-", "--on", "2024-13-01", stdin="{}")
    assert code == 2
    assert "2024-13-01" in err


def test_guidance_gaps_json_and_table() -> None:
    code, out, _ = run(
        "guidance-gaps",
        "--start",
        "2023-12-31",
        "--end",
        "2024-06-30",
        "2024-03-01",
        "2024-04-15",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert [(g["after"], g["due"], g["until"], g["closed"]) for g in data["gaps"]] == [
        ("2023-12-31", "2024-02-29", "2024-03-01", True),
        ("2024-04-15", "2024-06-15", "2024-06-30", False),
    ]
    assert data["compliant"] is False
    code, out, _ = run("guidance-gaps", "--start", "2024-01-01", "--end", "2024-03-01", "2024-02-01")
    assert code == 0
    assert ": compliant" in out


def test_guidance_gaps_visit_outside_the_period_exits_2() -> None:
    code, _, err = run("guidance-gaps", "--start", "2024-01-01", "--end", "2024-03-01", "2024-04-01")
    assert code == 2
    assert "visits[0]" in err


def test_targets() -> None:
    data = {"city_demonstration_sites": 8, "sites_by_district": {"武侯区": 1, "锦江区": 0}}
    code, out, _ = run("targets", "-", "--on", "2025-06-01", "--format", "json", stdin=json.dumps(data))
    assert code == 0
    report = json.loads(out)
    assert [f["outcome"] for f in report["findings"]] == ["in_progress", "ok", "in_progress"]
    code, out, _ = run("targets", "-", "--on", "2026-01-01", stdin=json.dumps(data, ensure_ascii=False))
    assert code == 0
    assert "NOT compliant" in out
    assert "锦江区" in out


def test_targets_bad_input() -> None:
    code, _, err = run("targets", "-", "--on", "2026-01-01", stdin='{"city_demonstration_sites": -1}')
    assert code == 2
    assert "city_demonstration_sites" in err
