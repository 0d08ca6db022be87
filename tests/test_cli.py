"""The ``tuoyu`` command line: the contract's ``jurisdictions``, ``assess`` and ``compare``, and exit status 2
with one line on standard error for bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli

ON = "2024-06-01"
FACILITY = {
    "jurisdiction": "xiamen",
    "mode": "self_run",
    "self_built": True,
    "places": 40,
    "enrolled": 28,
    "designations": [{"program": "cn.caring_employer", "year": 2022}],
}


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUOYU_LANG", "en")  # these tests read the English output, whatever the locale


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def facility_file(tmp_path: Path) -> Path:
    path = tmp_path / "facility.json"
    path.write_text(json.dumps(FACILITY), encoding="utf-8")
    return path


def test_jurisdictions_lists_ids_and_both_names() -> None:
    code, out, err = run("jurisdictions")
    assert code == 0, err
    for jid in tr.list_jurisdictions():
        policy = tr.get_policy(jid)
        assert jid in out
        assert policy.name_zh in out
        assert policy.name_en in out


def test_jurisdictions_as_json() -> None:
    code, out, _ = run("jurisdictions", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data] == list(tr.list_jurisdictions())


def test_assess_json_is_exactly_the_model_dump(facility_file: Path) -> None:
    """`--format json` prints exactly Assessment.model_dump(mode="json")."""
    code, out, err = run("assess", str(facility_file), "--on", ON, "--format", "json")
    assert code == 0, err
    expected = tr.assess(tr.Facility.model_validate(FACILITY), on=dt.date(2024, 6, 1)).model_dump(mode="json")
    assert json.loads(out) == expected


def test_assess_reads_standard_input() -> None:
    code, out, _ = run("assess", "-", "--on", ON, "--format", "json", stdin=json.dumps(FACILITY))
    assert code == 0
    assert json.loads(out)["jurisdiction"] == "xiamen"


def test_assess_table_shows_zh_and_en_names_and_both_amount_styles(facility_file: Path) -> None:
    """Xiamen's construction subsidy, "5万~10万元": shown as 50,000.00 - 100,000.00 and 5万元 - 10万元."""
    code, out, _ = run("assess", str(facility_file), "--on", ON)
    assert code == 0
    assert "用人单位自建自办托育中心建设补助" in out
    assert "Construction subsidy" in out
    assert "50,000.00 - 100,000.00" in out
    assert "5万元 - 10万元" in out
    assert "对用人单位自建自办的托育中心实行5万~10万元的建设补助" in out  # the clause it rests on


def test_assess_what_if_jurisdiction(facility_file: Path) -> None:
    code, out, _ = run("assess", str(facility_file), "--on", ON, "--jurisdiction", "weifang", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["layers"] == ["weifang", "shandong", "cn"]


def test_assess_pin(facility_file: Path) -> None:
    code, out, _ = run(
        "assess", str(facility_file), "--on", ON, "--format", "json", "--pin", "xiamen.construction_subsidy=80000"
    )
    assert code == 0
    entry = next(e for e in json.loads(out)["entitlements"] if e["program"] == "xiamen.construction_subsidy")
    assert entry["amount"]["low"] == entry["amount"]["high"] == "80000.00"


def test_bundled_example() -> None:
    code, out, _ = run("assess", "--example", "xiamen", "--on", ON, "--format", "json")
    assert code == 0
    assert json.loads(out)["facility"]["jurisdiction"] == "xiamen"


def test_examples_lists_facilities_portfolios_and_reforms() -> None:
    """Issue 17: `tuoyu examples` lists the bundled portfolio and reform too, with how each is used."""
    code, out, err = run("examples")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("xiamen: ")  # facilities first, as before
    assert (
        "portfolio_xiamen: a portfolio of 100 facilities (e.g. tuoyu budget --on 2024-06-01 --example portfolio_xiamen)"
        in lines
    )
    assert any(line.startswith("xiamen_operating_up: a reform: What-if: Xiamen raises") for line in lines)
    code, out, _ = run("examples", "--lang", "zh")
    assert (
        "portfolio_xiamen：机构清单，共100家托育机构（如tuoyu budget --on 2024-06-01 --example portfolio_xiamen）"
        in out
    )


def test_examples_prints_a_portfolio_or_a_reform() -> None:
    code, out, _ = run("examples", "portfolio_xiamen")
    assert code == 0
    assert len([tr.Facility.model_validate_json(line) for line in out.splitlines()]) == 100
    code, out, _ = run("examples", "xiamen_operating_up")
    assert (code, tr.Reform.loads(out).name) == (0, "xiamen-operating-up")
    code, out, err = run("examples", "nope")
    assert (code, out) == (2, "")
    assert "portfolio_xiamen" in err
    assert "xiamen_operating_up" in err


def test_compare_is_keyed_by_every_city(facility_file: Path) -> None:
    """`tuoyu compare` prints one object keyed by every city id, each the facility moved there."""
    code, out, err = run("compare", str(facility_file), "--on", ON, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    cities = [j for j in tr.list_jurisdictions() if tr.get_policy(j).level == "city"]
    assert sorted(data) == sorted(cities)
    facility = tr.Facility.model_validate(FACILITY)
    for city in cities:
        assert data[city] == tr.assess(facility, jurisdiction=city, on=dt.date(2024, 6, 1)).model_dump(mode="json")


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (["assess", "-", "--on", ON], "{not json", "invalid JSON"),
        (["assess", "-", "--on", ON], json.dumps({**FACILITY, "place": 3}), "place"),
        (["assess", "-", "--on", ON], json.dumps({**FACILITY, "enrolled": 41}), "enrolled"),
        (["assess", "-", "--on", ON], json.dumps({**FACILITY, "jurisdiction": "fujian"}), "province"),
        (["assess", "-", "--on", ON], json.dumps({**FACILITY, "jurisdiction": "atlantis"}), "atlantis"),
        (["assess", "-", "--on", ON], json.dumps({**FACILITY, "places": 40.5}), "places"),
        (["assess", "-", "--on", "2024-13-01"], json.dumps(FACILITY), "YYYY-MM-DD"),
        (["assess", "-", "--on", ON, "--jurisdiction", "cn"], json.dumps(FACILITY), "national"),
        (["assess", "-", "--on", ON, "--pin", "xiamen.construction_subsidy=70000"], json.dumps(FACILITY), "70000"),
        (["assess", "-", "--on", ON, "--pin", "xiamen.construction_subsidy=1.5e4"], json.dumps(FACILITY), "pins"),
        (["assess", "/nonexistent/facility.json", "--on", ON], "", "cannot read"),
        (["assess", "--example", "nope", "--on", ON], "", "unknown example"),
        (["assess", "--on", ON], "", "FILE"),
        (["nonsense"], "", "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], stdin: str, says: str) -> None:
    code, out, err = run(*argv, stdin=stdin)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("tuoyu: error: ")
    assert says in err
    assert "Traceback" not in err


def test_console_script_exits_2_without_traceback() -> None:
    """The installed entry point behaves like main(): status 2, one line, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "tuoyu_rules.cli", "assess", "-", "--on", ON],
        input='{"jurisdiction": "xiamen"}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
