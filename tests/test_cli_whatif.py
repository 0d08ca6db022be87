"""The what-if commands (tuoyu_rules.cli.whatif), wired into the CLI as the lead will wire them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.whatif as cli_whatif

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "examples"
REFORM = str(EXAMPLES / "xiamen_operating_up.reform.json")
FACILITY = str(EXAMPLES / "xiamen.json")


@pytest.fixture(autouse=True)
def _wired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_whatif,))
    monkeypatch.setenv("TUOYU_LANG", "en")  # these tests read the English output, whatever the locale


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_budget_of_the_bundled_portfolio_as_json() -> None:
    status, out, err = run(
        "budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--reform", REFORM, "--format", "json"
    )
    assert (status, err) == (0, "")
    data = json.loads(out)
    base, up = data["scenarios"]
    assert (base["name"], up["name"]) == ("baseline", "xiamen-operating-up")
    yearly = {(t["payer"], t["basis"]): t for t in up["by_payer"]}[("xiamen.union", "per_year")]
    assert yearly["amount"]["low"] == "2000000.00"
    assert yearly["amount"]["high"] == "3000000.00"


def test_budget_table_and_csv(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.csv"
    portfolio.write_text(
        "jurisdiction,mode,self_built,places,enrolled,designations\n"
        "xiamen,self_run,true,30,20,cn.caring_employer:2024\n"
        "xiamen,joint_run,false,30,20,\n",
        encoding="utf-8",
    )
    status, out, _ = run("budget", str(portfolio), "--on", "2024-06-01", "--reform", REFORM)
    assert status == 0
    assert "xiamen-operating-up" in out
    assert "30,000.00 - 50,000.00" in out
    assert "40,000.00 - 60,000.00" in out
    assert "open" in out
    status, out, _ = run("budget", str(portfolio), "--on", "2024-06-01", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["table"] for r in rows} == {"by_payer", "by_program", "summary"}


def test_budget_from_stdin_needs_a_format() -> None:
    line = '{"jurisdiction": "xiamen", "mode": "joint_run", "places": 3, "enrolled": 2}\n'
    status, _, err = run("budget", "-", "--on", "2024-06-01", stdin=line)
    assert status == 2
    assert "--input" in err
    status, out, _ = run("budget", "-", "--input", "jsonl", "--on", "2024-06-01", "--strategy", "mid", stdin=line)
    assert status == 0
    assert "20,000.00" in out


def test_a_bad_row_exits_2_naming_row_and_field(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.csv"
    portfolio.write_text("jurisdiction,mode,places,enrolled\nxiamen,joint_run,30,x\n", encoding="utf-8")
    status, out, err = run("budget", str(portfolio), "--on", "2024-06-01")
    assert status == 2
    assert "row 2: enrolled" in err
    assert "Traceback" not in err
    status, out, err = run("budget", str(portfolio), "--on", "2024-06-01", "--errors", "collect")
    assert status == 0
    assert "Rows left out: 1" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("budget", "missing.csv", "--on", "2024-06-01"),
        ("budget", "--example", "nope", "--on", "2024-06-01"),
        ("budget", "--on", "2024-06-01"),
        ("budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--reform", "missing.json"),
        ("project", FACILITY, "--start", "2024-02-01", "--end", "2024-01-01"),
        ("whatif", FACILITY, "--on", "2024-06-01", "--reform", REFORM, "--cities", "fujian"),
        ("sweep", FACILITY, "--on", "2024-06-01", "--parameter", "nope.amount", "--values", "1-2"),
        ("sweep", FACILITY, "--on", "2024-06-01", "--parameter", "xiamen.operating_subsidy.amount", "--values", "-2"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv: tuple[str, ...]) -> None:
    status, _, err = run(*argv)
    assert status == 2
    assert err.startswith("tuoyu: error: ")
    assert err.count("\n") == 1


def test_project_command() -> None:
    status, out, _ = run("project", FACILITY, "--start", "2024-01-01", "--end", "2025-12-31", "--format", "json")
    assert status == 0
    data = json.loads(out)
    years = {(ln["year"], ln["program"]) for ln in data["lines"]}
    assert (2025, "xiamen.operating_subsidy") in years
    assert (2025, "xiamen.construction_subsidy") not in years
    status, out, _ = run("project", FACILITY, "--start", "2024-01-01", "--end", "2024-12-31")
    assert status == 0
    assert "By year and payer" in out
    status, out, _ = run(
        "project", FACILITY, "--start", "2024-07-01", "--end", "2024-12-31", "--prorate", "--format", "csv"
    )
    assert status == 0
    assert "by_year_payer" in out


def test_whatif_command() -> None:
    status, out, _ = run("whatif", FACILITY, "--on", "2024-06-01", "--reform", REFORM)
    assert status == 0
    assert "15,000.00 - 25,000.00" in out
    assert "20,000.00 - 30,000.00" in out
    status, out, _ = run(
        "whatif", FACILITY, "--on", "2024-06-01", "--reform", REFORM, "--all-cities", "--format", "json"
    )
    assert status == 0
    assert set(json.loads(out)) == set(cli_whatif_cities())
    status, out, _ = run(
        "whatif", FACILITY, "--on", "2024-06-01", "--reform", REFORM, "--cities", "xiamen", "weifang", "--format", "csv"
    )
    assert status == 0
    assert {r["city"] for r in csv.DictReader(io.StringIO(out))} == {"xiamen", "weifang"}


def cli_whatif_cities() -> tuple[str, ...]:
    from tuoyu_rules.whatif import city_ids

    return city_ids()


def test_sweep_command() -> None:
    argv = ["sweep", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--format", "json"]
    argv += ["--parameter", "xiamen.operating_subsidy.amount", "--values", "20000-30000", "25000-", "30000"]
    status, out, _ = run(*argv)
    assert status == 0
    scenarios = json.loads(out)["scenarios"]
    yearly = [
        next(t for t in s["by_payer"] if t["payer"] == "xiamen.union" and t["basis"] == "per_year")["amount"]
        for s in scenarios
    ]
    assert [(a["low"], a["high"]) for a in yearly] == [
        ("1500000.00", "2500000.00"),
        ("2000000.00", "3000000.00"),
        ("2500000.00", None),
        ("3000000.00", "3000000.00"),
    ]
    status, out, _ = run(
        "sweep", FACILITY, "--on", "2024-06-01", "--parameter", "xiamen.operating_subsidy.amount", "--values", "1-2"
    )
    assert status == 0


def test_compare_keeps_its_contract_with_the_extension_wired() -> None:
    text = (EXAMPLES / "xiamen.json").read_text(encoding="utf-8")
    status, out, _ = run("compare", "-", "--on", "2024-06-01", "--format", "json", stdin=text)
    assert status == 0
    data = json.loads(out)
    assert set(data) == set(cli_whatif_cities())


# -- issue 17: --example and --jurisdiction on every command where they make sense ---------------------------------
def test_a_bundled_facility_or_reform_in_place_of_a_file() -> None:
    span = ("--start", "2024-01-01", "--end", "2025-12-31", "--format", "json")
    assert run("project", "--example", "xiamen", *span) == run("project", FACILITY, *span)
    assert run("whatif", "--example", "xiamen", "--on", "2024-06-01", "--reform", "xiamen_operating_up") == run(
        "whatif", FACILITY, "--on", "2024-06-01", "--reform", REFORM
    )
    swept = ("--on", "2024-06-01", "--parameter", "xiamen.operating_subsidy.amount", "--values", "1-2")
    status, out, err = run("sweep", "--example", "xiamen", *swept, "--format", "json")
    assert (status, err) == (0, "")
    assert (status, out, err) == run("sweep", FACILITY, *swept, "--format", "json")
    assert json.loads(out)["scenarios"][0]["facilities"] == 1  # the facility, not a portfolio
    status, _, err = run("sweep", "--example", "nope", *swept)
    assert status == 2
    assert "xiamen" in err
    assert "portfolio_xiamen" in err
    status, _, err = run("project", "--start", "2024-01-01", "--end", "2024-12-31")
    assert status == 2
    assert "--example" in err


def test_budget_and_sweep_move_the_portfolio_to_another_city() -> None:
    """``--jurisdiction`` applies one city's rules to every facility, as ``tr.budget(..., jurisdiction=...)`` does."""
    argv = ["budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--format", "json"]
    status, out, err = run(*argv, "--jurisdiction", "hangzhou")
    assert (status, err) == (0, "")
    moved = tr.budget(EXAMPLES / "portfolio_xiamen.jsonl", on=dt.date(2024, 6, 1), jurisdiction="hangzhou")
    assert json.loads(out) == moved.model_dump(mode="json")
    assert out != run(*argv)[1]
    assert any(t["payer"].startswith("hangzhou") for t in json.loads(out)["scenarios"][0]["by_payer"])
    swept = ["sweep", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--jurisdiction", "hangzhou"]
    status, out, _ = run(
        *swept, "--parameter", "xiamen.operating_subsidy.amount", "--values", "1-2", "--format", "json"
    )
    assert status == 0
    assert json.loads(out)["scenarios"][0]["by_payer"] == moved.model_dump(mode="json")["scenarios"][0]["by_payer"]
    status, _, err = run(*argv, "--jurisdiction", "fujian")
    assert status == 2
    assert "province" in err


def test_what_if_errors_of_the_command_line_in_chinese() -> None:
    argv = ("sweep", FACILITY, "--on", "2024-06-01", "--parameter", "xiamen.operating_subsidy.amount")
    status, _, err = run(*argv, "--values", "-2", "--lang", "zh")
    assert status == 2
    assert "'-2'不是LOW-HIGH, LOW-或AMOUNT的形式（如20000-30000）" in err
    status, _, err = run(*argv, "--values", "-2")
    assert "'-2' is not LOW-HIGH, LOW- or AMOUNT (e.g. 20000-30000)" in err
