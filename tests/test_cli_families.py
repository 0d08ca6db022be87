"""``tuoyu fee``, ``tuoyu allowance`` and ``tuoyu family-cost`` (``tuoyu_rules.cli.families``).

The commands are added through ``tuoyu_rules.cli._EXTENSIONS``; each test wires the module in itself.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.families as cli_families


@pytest.fixture(autouse=True)
def _wired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_families,))
    monkeypatch.setenv("TUOYU_LANG", "en")  # these tests read the English output, whatever the locale


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_fee_json_is_the_quote_dump() -> None:
    """Seed 001: 85% of the market price and a 200 allowance; at 1,000 a month: fee 850.00, net 650.00."""
    code, out, err = run("fee", "1000", "--share", "0.85", "--allowance", "200", "--cap", "900", "--format", "json")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    assert (data["fee"], data["net"], data["within_cap"], data["share"]) == ("850.00", "650.00", True, "0.85")


def test_fee_table_shows_steps_and_citation() -> None:
    """Seed 000 (Henan college): "教职工每月托育费用仅800元"; the table lists the steps."""
    code, out, _ = run("fee", "2500", "--flat", "800", "--cite", "qianan.seed_merchant_children")
    assert code == 0
    assert "fee        800.00 a month" in out
    assert "Steps" in out
    assert "「商户子女可以市场价格85%就读」" in out


def test_fee_over_cap_table() -> None:
    """Seed 003 (成都): the cap is checked; 1,700 above a 1,500 cap is not within it."""
    code, out, _ = run("fee", "2000", "--share", "0.85", "--cap", "1500")
    assert code == 0
    assert "within cap no (cap 1,500.00)" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("fee", "1000", "--share", "1.5"), "share:"),
        (("fee", "1000", "--share", "0.5", "--flat", "800"), "not allowed with"),
        (("fee", "-5"), "market_monthly:"),
        (("fee", "1000", "--allowance", "1.234"), "allowance_monthly:"),
        (("fee", "1000", "--cap", "x"), "cap:"),
        (("fee", "1000", "--cite", "nowhere.x"), "cite:"),
        (("allowance", "2024-02-30"), "BIRTH_DATE"),
        (("allowance", "9999-06-01"), "birth:"),
        (("family-cost", "1000", "--pass-on", "xiamen.siming_allowance"), "--pass-on needs"),
        (("family-cost", "1000", "--facility", "x.json"), "--facility is read only"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv: tuple[str, ...], needle: str) -> None:
    """Bad input: exit status 2, one line on stderr naming the problem, no traceback."""
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err.startswith("tuoyu: error: ")
    assert err.count("\n") == 1
    assert needle in err
    assert "Traceback" not in err


def test_allowance_json() -> None:
    """NHC table: born 2023-01 -> 3,900 (13 months)."""
    code, out, _ = run("allowance", "2023-01-15", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["months"], data["total"], data["per_month"]) == (13, "3900.00", "300.00")
    assert data["by_year"] == [[2025, 12, "3600.00"], [2026, 1, "300.00"]]


def test_allowance_table_and_nationality() -> None:
    """Table output lists the years; --not-prc-national gives none (PRC nationality required)."""
    code, out, _ = run("allowance", "2024-01-01")
    assert code == 0
    assert "total      7,500.00" in out
    assert "2027   1 month " in out
    code, out, _ = run("allowance", "2025-06-01", "--not-prc-national")
    assert code == 0
    assert "total      0.00" in out
    assert "PRC nationality" in out


def test_family_cost_table() -> None:
    """Half of 2,400 less a 200 employer and a 100 district allowance: 900.00; national 300 shown, not taken."""
    code, out, _ = run(
        "family-cost",
        "2400",
        "--share",
        "0.5",
        "--employer-allowance",
        "200",
        "--district-allowance",
        "100",
        "--birth",
        "2024-03-10",
    )
    assert code == 0
    assert "net cost            900.00 a month" in out
    assert "national allowance  300.00 a month (not subtracted)" in out


def test_family_cost_passes_siming_allowance_on(tmp_path: Path) -> None:
    """Xiamen Daily 2022-04-14 (Siming): 100 per employee's child per month, read from the assessment."""
    facility = {
        "jurisdiction": "siming",
        "mode": "self_run",
        "places": 20,
        "enrolled": 10,
        "staff_children": 4,
        "filed": True,
        "union_dues_paid": True,
    }
    path = tmp_path / "f.json"
    path.write_text(json.dumps(facility), encoding="utf-8")
    argv = ["family-cost", "1000", "--facility", str(path), "--on", "2025-06-01"]
    code, out, err = run(*argv, "--pass-on", "xiamen.siming_allowance", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["district_allowance"], data["net"]) == ("100.00", "900.00")
    code, out, _ = run("family-cost", "1000", "--facility", "-", "--on", "2025-06-01", "--pass-on",
                       "xiamen.siming_allowance", stdin=json.dumps(facility))  # fmt: skip
    assert code == 0
    assert "district allowance  100.00 a month" in out
    code, _, err = run(*argv, "--pass-on", "xiamen.nothing")
    assert code == 2
    assert "not an entitlement" in err
    code, _, err = run("family-cost", "1000", "--facility", "-", "--on", "2025-06-01", "--pass-on", "x", stdin="{")
    assert code == 2
    assert "invalid JSON" in err
    code, _, err = run(
        "family-cost", "1000", "--facility", str(tmp_path / "none.json"), "--on", "2025-06-01", "--pass-on", "x"
    )
    assert code == 2
    assert "cannot read" in err
