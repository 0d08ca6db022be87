"""The command line speaks the language asked (issue 14): ``--lang zh|en`` on every command, its default from
``TUOYU_LANG`` or the locale, Chinese tables with names and no English of their own, the same JSON data in both
languages, and error lines in the language asked."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.cli.lang import ENV_LANG, LOCALE_VARIABLES, asked_lang, default_lang
from tuoyu_rules.core.messages import glossary

ON = "2024-06-01"
DAYS = ("2024-06-01", "2026-03-01")
EXAMPLES = ("xiamen", "xiamen_classes")
LATIN = re.compile(r"[A-Za-z]")
DOTTED_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]]*\])?(?:\.[A-Za-z0-9_]+)*")
"""An id as the library writes it: ``xiamen.construction_subsidy``, ``designations[cn.caring_employer].amount``."""

FACILITY = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}


@pytest.fixture(autouse=True)
def no_language_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no language in the environment (the default is then English)."""
    for name in (ENV_LANG, *LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _example(name: str) -> tr.Facility:
    code, out, err = run("examples", name)
    assert code == 0, err
    return tr.Facility.model_validate_json(out)


def _shown_as_given(facility: tr.Facility, assessment: tr.Assessment) -> list[str]:
    """What a table shows as its input or its sources give it: the facility's name, and each citation's source,
    clause and quoted words (the sources' own text)."""
    given = [facility.name or ""]
    for e in (*assessment.entitlements, *assessment.obligations):
        for c in e.citations:
            given += [c.source, c.clause, c.quote or ""]
    return sorted((g for g in given if g), key=len, reverse=True)


def _without_ids_and_data(text: str, given: list[str]) -> str:
    for g in given:
        text = text.replace(g, "")
    text = DOTTED_ID.sub("", text)
    fields = sorted((k.split(".", 1)[1] for k in glossary() if k.startswith("field.")), key=len, reverse=True)
    for name in fields:  # a field's name beside its Chinese label: 托位数（places）
        text = re.sub(rf"（{name}(?:\[[^\]]*\])?[A-Za-z0-9_.]*）", "", text)
    return text


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_assess_table_in_chinese_has_no_latin_letters_outside_ids(example: str, day: str) -> None:
    """Every bundled example, assessed with ``--lang zh --format table``: names, terms and Chinese sentences only;
    the Latin letters left are ids (programmes, payers, fields, citations), the facility's own name and the
    sources' own words."""
    code, out, err = run("assess", "--example", example, "--on", day, "--lang", "zh", "--format", "table")
    assert code == 0, err
    facility = _example(example)
    assessment = tr.assess(facility, on=dt.date.fromisoformat(day), lang="zh")
    left = _without_ids_and_data(out, _shown_as_given(facility, assessment))
    latin = [line for line in left.splitlines() if LATIN.search(line)]
    assert latin == [], "\n".join(latin)
    for e in assessment.entitlements:
        assert e.name_zh in out
        assert e.program not in out.split("原因")[0]  # the tables show names, not ids


@pytest.mark.parametrize("example", EXAMPLES)
def test_json_is_the_same_data_in_both_languages(example: str) -> None:
    """``--format json``: the same codes and parameters whatever the language; only the reasons and notes follow
    ``--lang``, each the text of its explanation in that language."""
    dumps = {}
    for lang in ("zh", "en"):
        code, out, err = run("assess", "--example", example, "--on", ON, "--lang", lang, "--format", "json")
        assert code == 0, err
        dumps[lang] = json.loads(out)
    for lang, data in dumps.items():
        for entry in (*data["entitlements"], *data["obligations"]):
            assert entry["reasons"] == [x[lang] for x in entry["explanation"]]
            entry.pop("reasons")
        assert data["notes"] == [x[lang] for x in data["explanation"]]
        data.pop("notes")
    assert dumps["zh"] == dumps["en"]
    assert dumps["en"]["entitlements"][0]["explanation"]  # codes there to compare


def test_json_is_exactly_the_model_dump_in_chinese() -> None:
    code, out, _ = run("assess", "-", "--on", ON, "--lang", "zh", "--format", "json", stdin=json.dumps(FACILITY))
    assert code == 0
    expected = tr.assess(tr.Facility.model_validate(FACILITY), on=dt.date.fromisoformat(ON), lang="zh")
    assert json.loads(out) == expected.model_dump(mode="json")


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (("assess", "--example", "xiamen", "--on", "2024-13-01"), ""),  # a bad date (argparse type)
        (("assess", "--example", "xiamen"), ""),  # a required argument missing
        (("assess", "--example", "xiamen", "--on", ON, "--format", "xml"), ""),  # an invalid choice
        (("assess", "no-such-file.json", "--on", ON), ""),  # a file that cannot be read
        (("assess", "--example", "nope", "--on", ON), ""),  # an unknown example
        (("assess", "-", "--on", ON), '{"jurisdiction": "xiamen", "mode": "self_run", "places": -1}'),  # invalid
        (("assess", "--example", "xiamen", "--on", ON, "--pin", "nope.x=1"), ""),  # an error of the library
        (("assess", "-", "--on", ON), '{"a": 1, "a": 2}'),  # a JSON error
        (("budget", "-", "--on", ON), ""),  # a command's own message
        (("serve", "--port", "0"), ""),  # an argument type of a command
        (("serve", "--workers", "none"), ""),
        (("sweep", "--example", "xiamen", "--on", ON, "--parameter", "p", "--values", "-1"), ""),
        (("budget", "--example", "portfolio_xiamen", "--on", ON, "--errors", "raise", "--jurisdiction", "fujian"), ""),
    ],
)
def test_error_lines_follow_the_language(argv: tuple[str, ...], stdin: str) -> None:
    code, out, err = run(*argv, "--lang", "zh", stdin=stdin)
    assert code == 2
    assert out == ""
    assert err.startswith("tuoyu：错误："), err
    assert err.count("\n") == 1
    assert re.search(r"[\u4e00-\u9fff]", err.removeprefix("tuoyu：错误：")), err
    code, _, err_en = run(*argv, "--lang", "en", stdin=stdin)
    assert code == 2
    assert err_en.startswith("tuoyu: error: "), err_en


def test_an_english_error_line_is_as_it_was() -> None:
    code, _, err = run("assess", "--example", "xiamen", "--on", "2024-13-01")
    assert code == 2
    assert err == "tuoyu: error: argument --on: '2024-13-01' is not a date in the form YYYY-MM-DD\n"


def test_a_bad_lang_exits_2_with_one_line() -> None:
    code, out, err = run("jurisdictions", "--lang", "fr")
    assert (code, out) == (2, "")
    assert err == "tuoyu: error: argument --lang: 'fr' is not a language of the command line; use one of: zh, en\n"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"TUOYU_LANG": "zh"}, "zh"),
        ({"TUOYU_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),  # TUOYU_LANG first
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL, then LC_MESSAGES, then LANG
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "zh"),
        ({"TUOYU_LANG": "", "LANG": "zh_CN.UTF-8"}, "zh"),  # an empty variable is not set
    ],
)
def test_the_default_language_comes_from_tuoyu_lang_then_the_locale(
    env: dict[str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_lang(env) == lang
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run("jurisdictions")
    assert code == 0, err
    header = out.splitlines()[0].split()
    assert header == (
        ["编号", "名称", "级别", "上级", "区划代码"]
        if lang == "zh"
        else ["id", "name_zh", "name_en", "level", "parent", "code"]
    )


def test_lang_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUOYU_LANG", "zh")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _ = run("jurisdictions", "--lang", "en")
    assert code == 0
    assert out.startswith("id ")
    code, out, _ = run("--lang", "en", "jurisdictions")  # before the command too
    assert code == 0
    assert out.startswith("id ")


def test_a_bad_tuoyu_lang_exits_2_unless_lang_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUOYU_LANG", "fr")
    code, out, err = run("jurisdictions")
    assert (code, out) == (2, "")
    assert err == "tuoyu: error: TUOYU_LANG: 'fr' is not a language of the command line; use one of: zh, en\n"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _, err = run("jurisdictions")
    assert code == 2
    assert err.startswith("tuoyu：错误：环境变量TUOYU_LANG")
    code, _, _ = run("jurisdictions", "--lang", "en")
    assert code == 0


def test_a_usage_error_is_said_in_the_language_lang_names() -> None:
    """The parser fails before it has read ``--lang``: the language is taken from the arguments first."""
    assert asked_lang(["assess", "--lang", "zh"]) == "zh"
    assert asked_lang(["assess", "--lang=zh"]) == "zh"
    assert asked_lang(["assess", "--lang", "fr"]) is None
    assert asked_lang(["assess", "--", "--lang", "zh"]) is None
    code, _, err = run("assess", "--lang", "zh", "--on", "nope")
    assert code == 2
    assert err.startswith("tuoyu：错误：参数--on：")


def _commands() -> list[str]:
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", _commands())
def test_every_command_takes_lang(command: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([command, "--help"], stdout=out, stderr=err)
    assert code == 0
    assert "--lang zh|en" in out.getvalue()
    assert "TUOYU_LANG" in out.getvalue()


def test_the_main_help_names_lang() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "--lang" in out
    assert "TUOYU_LANG" in out


def test_compare_table_in_chinese_shows_city_and_programme_names() -> None:
    code, out, err = run("compare", "-", "--on", ON, "--lang", "zh", stdin=json.dumps(FACILITY))
    assert code == 0, err
    assert out.splitlines()[0].split() == ["城市", "项目", "支付方", "计发方式", "状态", "金额（元）", "金额（万元）"]
    assert "厦门市" in out
    assert "用人单位自建自办托育中心建设补助" in out
    assert "xiamen.construction_subsidy" not in out


def test_budget_in_chinese_names_payers_and_programmes(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.jsonl"
    portfolio.write_text(json.dumps(FACILITY) + "\n", encoding="utf-8")
    code, out, err = run("budget", str(portfolio), "--on", ON, "--lang", "zh")
    assert code == 0, err
    assert "厦门市总工会" in out
    assert "用人单位自建自办托育中心建设补助" in out
    assert "现行规定" in out
    for word in ("xiamen.union", "one_time", "per_year", "baseline", "Portfolio", "open:"):
        assert word not in out
    code, out, err = run("budget", str(portfolio), "--on", ON, "--lang", "zh", "--format", "csv")
    assert code == 0, err
    header = out.splitlines()[0].split(",")
    assert header[:4] == ["表", "情景", "改革方案", "支付方编号"]
    assert "支付方名称" in header
    code, en, _ = run("budget", str(portfolio), "--on", ON, "--lang", "en", "--format", "csv")
    assert out.splitlines()[1:] == en.splitlines()[1:]  # the cells are the same in both languages


def test_assess_many_speaks_the_language(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.jsonl"
    portfolio.write_text(json.dumps(FACILITY) + "\n{}\n", encoding="utf-8")
    code, out, err = run("assess-many", str(portfolio), "--on", ON, "--lang", "zh", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("输入行号,机构编号,")
    assert err == "tuoyu：assess-many：读取2行，已评估1行，出错1行\n"
    code, out, _ = run("assess-many", str(portfolio), "--on", ON, "--lang", "zh")
    first = json.loads(out.splitlines()[0])["assessment"]
    assert first["entitlements"][0]["reasons"] == [x["zh"] for x in first["entitlements"][0]["explanation"]]


def test_families_and_compliance_tables_in_chinese() -> None:
    code, out, err = run("fee", "1000", "--share", "0.85", "--cap", "900", "--lang", "zh")
    assert code == 0, err
    assert out.splitlines()[:4] == [
        "收费：每月850.00元",
        "补贴：每月0.00元",
        "净支出：每月850.00元",
        "是否不超过限价：是（限价900.00元）",
    ]
    code, out, err = run("guidance-gaps", "2024-01-10", "--start", "2024-01-01", "--end", "2024-12-31", "--lang", "zh")
    assert code == 0, err
    assert "检查：" in out
    assert "不合规" in out
    assert "compliant" not in out


def test_the_english_tables_are_unchanged() -> None:
    """English tables show ids, as before: the programme, its names and the payer's id."""
    code, out, _ = run("assess", "-", "--on", ON, "--lang", "en", stdin=json.dumps(FACILITY))
    assert code == 0
    assert out.startswith(
        "Facility: (unnamed)\nRules of: xiamen > fujian > cn on 2024-06-01 (rounding ROUND_HALF_UP)\n"
    )
    assert "programme" in out
    assert "xiamen.construction_subsidy" in out
