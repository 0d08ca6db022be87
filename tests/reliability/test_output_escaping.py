"""Issue 18, "Table output prints a facility name or reform description raw": a newline in a name could forge a
line of output ("Entitlements: 9,999,999.00 approved") and an ANSI escape could clear the screen.

Every human-readable line of the CLI (tables, headers, names, descriptions, reasons, warnings and error
lines) now goes through ``cli.common.printable``: C0 and C1 controls, DEL, the Unicode line and paragraph
separators and the bidirectional controls are shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``). Each command
that prints text read from its input is run here with hostile text.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import tuoyu_rules as tr
from tuoyu_rules.cli import main
from tuoyu_rules.cli.common import printable
from tuoyu_rules.core import registry

FORGED = "Entitlements: 9,999,999.00 approved"
HOSTILE = f"Acme\n{FORGED}\r\x1b[2J\x1b]0;owned\x07\x9b31m\x85\u2028{FORGED}\u2029\u202egnp.exe\u2066\x7f\u200f"
"""A name that, printed raw, forges two lines, clears the screen, sets the terminal title and reverses text."""
SHOWN = "Acme\\nEntitlements: 9,999,999.00 approved\\r\\x1b[2J"
"""How the start of :data:`HOSTILE` must be shown: on the same line, every control visible."""

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Everything a terminal acts on rather than shows, except the newline that ends each line."""

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
FACILITY = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
RANGE = [{"kind": "range", "low": "20000", "high": "30000"}]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return status, out.getvalue(), err.getvalue()


def assert_safe(text: str) -> None:
    """No control reaches the terminal and no line starts with the forged text."""
    assert not UNSAFE.findall(text), UNSAFE.findall(text)
    assert not [line for line in text.split("\n") if line.lstrip().startswith(FORGED)]


def _write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _reform(tmp: Path) -> str:
    return _write(
        tmp / "reform.json",
        {"name": HOSTILE, "description": HOSTILE, "parameters": {"xiamen.operating_subsidy.amount": RANGE}},
    )


def _assess(tmp: Path) -> list[str]:
    return ["assess", _write(tmp / "f.json", {**FACILITY, "name": HOSTILE}), "--on", "2024-06-01"]


def _check_spending(tmp: Path) -> list[str]:
    item = {"category": "other", "amount": "100", "payee": "other", "settlement": "other", "description": HOSTILE}
    plan = {"items": [item], "budget": "100", "work_plan": True, "collective_decision": True}
    return ["check-spending", _write(tmp / "plan.json", plan)]


def _targets(tmp: Path) -> list[str]:
    data = {"city_demonstration_sites": 1, "sites_by_district": {HOSTILE: 1}}
    return ["targets", _write(tmp / "targets.json", data), "--on", "2024-06-01"]


def _budget(tmp: Path) -> list[str]:
    portfolio = tmp / "p.jsonl"
    bad = {**FACILITY, HOSTILE: 1}  # an unknown key: a row error naming it
    portfolio.write_text(json.dumps(FACILITY) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    return ["budget", str(portfolio), "--on", "2024-06-01", "--reform", _reform(tmp), "--errors", "collect"]


def _whatif(tmp: Path) -> list[str]:
    return ["whatif", _write(tmp / "f.json", FACILITY), "--on", "2024-06-01", "--reform", _reform(tmp)]


def _schema_out(tmp: Path) -> list[str]:
    return ["schema", "--model", "Facility", "--out", str(tmp / HOSTILE.replace("/", ""))]


TABLE_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "assess (facility name)": _assess,
    "check-spending (item description)": _check_spending,
    "targets (district name)": _targets,
    "budget (reform name, description, a bad row's key)": _budget,
    "whatif (reform name and description)": _whatif,
    "schema --out (a directory name)": _schema_out,
}


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_a_table_never_prints_a_control_character(command: str, tmp_path: Path) -> None:
    status, out, err = run(*TABLE_COMMANDS[command](tmp_path))
    assert (status, err) == (0, ""), err
    assert SHOWN in out  # the hostile text reached the output, escaped
    assert_safe(out)


ERROR_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "an unreadable file's name": lambda tmp: ["assess", str(tmp / HOSTILE), "--on", "2024-06-01"],
    "a bad row of budget --errors raise": lambda tmp: _budget(tmp)[:-2],
}


@pytest.mark.parametrize("command", ERROR_COMMANDS)
def test_an_error_is_one_line_with_every_control_shown(command: str, tmp_path: Path) -> None:
    status, out, err = run(*ERROR_COMMANDS[command](tmp_path))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("tuoyu: error: ")
    assert "\\x1b[2J" in err
    assert_safe(err)


@pytest.fixture
def hostile_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A plugin jurisdiction whose names are hostile, and an entry point claiming a built-in id with a hostile
    value, seen through the registry's ``_entry_points`` seam (as tests/reliability/test_plugins.py does)."""
    module = tmp_path / "tuoyu_hostile_plugin.py"
    module.write_text(
        "import dataclasses\nimport tuoyu_good_plugin\n\n"
        f"def load():\n    return dataclasses.replace(tuoyu_good_plugin.load(), name_zh={HOSTILE!r}, "
        f"name_en={HOSTILE!r})\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(PLUGINS / "good_plugin"))
    group = tr.ENTRY_POINT_GROUP
    fake = [
        EntryPoint(name="testville", value="tuoyu_hostile_plugin:load", group=group),
        EntryPoint(name="xiamen", value=f"tuoyu_good_plugin:load{HOSTILE}", group=group),
    ]
    monkeypatch.setattr(registry, "_entry_points", lambda: list(fake))
    registry._reset()
    yield
    registry._reset()
    sys.modules.pop("tuoyu_hostile_plugin", None)


@pytest.mark.usefixtures("hostile_plugin")
def test_jurisdictions_shows_a_plugins_names_and_problems_escaped() -> None:
    status, out, err = run("jurisdictions")
    assert status == 0
    assert SHOWN in out
    assert_safe(out)
    assert SHOWN in err  # the warning about the plugin claiming 'xiamen', on one line
    assert err.count("\n") == 1
    assert_safe(err)


def test_printable_escapes_exactly_the_controls() -> None:
    assert printable("厦门 Xiamen, 托育 (2024) «ok» — 100%") == "厦门 Xiamen, 托育 (2024) «ok» — 100%"
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x00\x1b\x7f\x85\x9b") == "\\x00\\x1b\\x7f\\x85\\x9b"
    assert printable("\u2028\u2029\u202a\u202e\u2066\u2069\u200e\u200f\u061c") == (
        "\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c"
    )
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        shown = printable(chr(code))
        assert shown.startswith("\\")
        assert not UNSAFE.search(shown)
        assert "\n" not in shown
