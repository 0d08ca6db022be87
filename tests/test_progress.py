"""Progress (issue 17): a ``progress=`` callback on the portfolio functions of the Python API, and a progress line
on standard error for the long commands of ``tuoyu`` when standard error is a terminal (silent otherwise).

The callback is told counts only: every result is the same with it or without (tested here for each function),
and it is called every ``PROGRESS_EVERY`` rows and once at the end with the number of rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.batch.stream import PROGRESS_EVERY, with_progress
from tuoyu_rules.cli import progress as cli_progress
from tuoyu_rules.cli.lang import speaking
from tuoyu_rules.cli.progress import Bar, progress_bar
from tuoyu_rules.core.error_text import error_text
from tuoyu_rules.whatif import city_ids

ON = dt.date(2024, 6, 1)
EXAMPLES = Path(tr.__file__).parent / "examples"
PORTFOLIO = EXAMPLES / "portfolio_xiamen.jsonl"
RECORDS: list[dict[str, Any]] = [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines()]
MANY = RECORDS * 25  # 2,500 rows: two whole thousands and a rest
REFORM = tr.Reform.load(EXAMPLES / "xiamen_operating_up.reform.json")


class Calls(list[int]):
    """A progress callback that keeps what it was told."""

    def __call__(self, done: int) -> None:
        self.append(done)


def _reported(n: int, every: int = PROGRESS_EVERY) -> list[int]:
    """What a callback is told for ``n`` rows: every ``every`` rows, then ``n`` unless just told."""
    told = list(range(every, n + 1, every))
    return told if told and told[-1] == n else [*told, n]


# -- the library ---------------------------------------------------------------------------------------------------
def test_with_progress_reports_every_n_and_at_the_end() -> None:
    for n in (0, 1, 999, 1000, 1001, 2500, 3000):
        calls = Calls()
        assert list(with_progress(range(n), calls)) == list(range(n))
        assert calls == _reported(n), n
    items = [1, 2]
    assert with_progress(items, None) is items  # no callback: the rows as they are, nothing added


def test_with_progress_counts_a_row_when_the_next_is_asked_for() -> None:
    calls = Calls()
    rows = iter(with_progress(range(5), calls, every=2))
    assert (next(rows), next(rows), calls) == (0, 1, [])
    next(rows)  # the second row is done once the third is asked for
    assert calls == [2]


def test_a_progress_that_is_not_a_function_is_refused_with_a_code() -> None:
    with pytest.raises(tr.WrongType) as info:
        tr.budget(RECORDS, on=ON, progress=5)  # type: ignore[arg-type]
    assert info.value.code == "error.batch.progress"
    assert str(info.value) == "progress: a function of the number of rows done, not a int"
    assert error_text(info.value, "zh") == "progress：进度回调应为以已处理行数为参数的函数，而不是int"


@pytest.mark.parametrize("strategy", [None, "mid"])
def test_a_budget_is_the_same_with_progress(strategy: str | None) -> None:
    calls = Calls()
    rows = MANY if strategy is None else RECORDS * 11
    told = tr.budget(rows, on=ON, reforms=[REFORM], strategy=strategy, progress=calls)
    assert told == tr.budget(rows, on=ON, reforms=[REFORM], strategy=strategy)
    assert calls == _reported(len(rows))


def test_a_budget_counts_bad_rows_read() -> None:
    rows = [*RECORDS, {"jurisdiction": "xiamen"}]
    calls = Calls()
    told = tr.budget(rows, on=ON, errors="collect", progress=calls)
    assert told == tr.budget(rows, on=ON, errors="collect")
    assert (calls, told.error_count) == ([101], 1)


def test_a_budget_from_a_file_reports_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in MANY) + "\n", encoding="utf-8")
    calls = Calls()
    assert tr.budget(path, on=ON, progress=calls) == tr.budget(MANY, on=ON)
    assert calls == [1000, 2000, 2500]


def test_a_sweep_is_the_same_with_progress() -> None:
    values: list[Any] = [{"kind": "range", "low": "20000", "high": "30000"}, tr.AmountRange(low="1", high="2")]
    parameter = "xiamen.operating_subsidy.amount"
    calls = Calls()
    told = tr.sweep(MANY, on=ON, parameter=parameter, values=values, progress=calls)
    assert told == tr.sweep(MANY, on=ON, parameter=parameter, values=values)
    assert calls == _reported(len(MANY))


def test_assess_rows_is_the_same_with_progress() -> None:
    calls = Calls()
    told = list(tr.assess_rows(MANY, on=ON, output="json", progress=calls))
    assert told == list(tr.assess_rows(MANY, on=ON, output="json"))
    assert calls == _reported(len(MANY))


def test_assess_rows_reports_only_what_is_consumed() -> None:
    calls = Calls()
    rows = tr.assess_rows(MANY, on=ON, progress=calls)
    for _ in range(1500):
        next(rows)
    assert calls == [1000]


def test_tally_and_assess_many_are_the_same_with_progress() -> None:
    calls = Calls()
    assert tr.tally(MANY, on=ON, progress=calls) == tr.tally(MANY, on=ON)
    assert calls == _reported(len(MANY))
    calls = Calls()
    told = list(tr.assess_many(MANY, on=ON, output="fen", progress=calls))
    assert told == list(tr.assess_many(MANY, on=ON, output="fen"))
    assert calls == _reported(len(MANY))


def test_a_tally_stopped_by_a_bad_row_has_no_last_call() -> None:
    calls = Calls()
    with pytest.raises(tr.TallyError):
        tr.tally([*MANY[:1500], {"jurisdiction": "xiamen"}], on=ON, progress=calls)
    assert calls == [1000]


def test_compare_and_project_are_the_same_with_progress() -> None:
    facility = tr.Facility.model_validate(RECORDS[0])
    calls = Calls()
    assert tr.compare(facility, on=ON, progress=calls) == tr.compare(facility, on=ON)
    cities = len(city_ids())
    assert calls == list(range(1, cities + 1))  # after each city
    calls = Calls()
    start, end = dt.date(2024, 3, 15), dt.date(2025, 12, 31)
    assert tr.project(facility, start=start, end=end, progress=calls) == tr.project(facility, start=start, end=end)
    assert calls == list(range(1, 23))  # after each month: March 2024 to December 2025


# -- the bar -------------------------------------------------------------------------------------------------------
def _ended(shown: str) -> bool:
    """The progress line was drawn a last time (padded to cover a longer line before it) and ended."""
    return shown.endswith("\n") and shown[:-1].rstrip(" ").endswith(" elapsed")


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _bar(unit: Any = "rows", total: int | None = None) -> tuple[Bar, Terminal, Clock]:
    stream, clock = Terminal(), Clock()
    return Bar(stream, "budget", unit, total, clock=clock), stream, clock


def test_the_bar_waits_then_redraws_at_most_ten_times_a_second() -> None:
    bar, stream, clock = _bar()
    bar(1000)
    assert stream.getvalue() == ""  # a command that ends at once writes nothing
    clock.now += 0.1
    bar(2000)
    assert stream.getvalue() == "\rbudget: 2,000 rows, 20,000 rows/s, 0:00 elapsed"
    clock.now += 0.05
    bar(3000)
    assert stream.getvalue().count("\r") == 1  # not redrawn within a tenth of a second
    clock.now += 62
    bar(4000)
    last = "\rbudget: 4,000 rows, 64 rows/s, 1:02 elapsed    "  # padded over the longer line before it
    assert stream.getvalue().endswith(last)
    bar.close()
    assert stream.getvalue().endswith(last + "\rbudget: 4,000 rows, 64 rows/s, 1:02 elapsed\n")
    bar(5000)
    bar.close()
    assert stream.getvalue().endswith("elapsed\n")  # closed: nothing more


def test_a_bar_never_drawn_writes_nothing_on_close() -> None:
    bar, stream, _ = _bar()
    bar(10)
    bar.close()
    assert stream.getvalue() == ""


def test_a_shorter_line_covers_the_longer_one_and_clear_blanks_it() -> None:
    bar, stream, clock = _bar()
    clock.now += 3600
    bar(123_456)
    first = stream.getvalue()
    assert first == "\rbudget: 123,456 rows, 34 rows/s, 1:00:00 elapsed"
    bar.clear()
    assert stream.getvalue() == first + "\r" + " " * (len(first) - 1) + "\r"
    bar.clear()  # nothing shown: nothing to blank
    assert stream.getvalue().count("\r") == 3


def test_the_bar_with_a_total_and_in_chinese() -> None:
    bar, stream, clock = _bar("cities", 40)
    clock.now += 2
    with speaking("zh"):
        bar(10)
    assert stream.getvalue() == "\rbudget：[#####---------------]  25% 已评估10/40个城市，每秒5个，用时0:02"
    bar, stream, clock = _bar("months", 12)
    clock.now += 1
    bar(12)
    assert stream.getvalue() == "\rbudget: [####################] 100% 12/12 months, 12 months/s, 0:01 elapsed"


def test_a_terminal_that_fails_ends_the_bar_quietly() -> None:
    class Broken(Terminal):
        def write(self, text: str) -> int:
            raise UnicodeEncodeError("ascii", text, 0, 1, "no")

    clock = Clock()
    bar = Bar(Broken(), "budget", clock=clock)
    clock.now += 1
    bar(1)
    bar(2)
    bar.close()  # no error: progress never fails a command


def test_progress_bar_is_none_unless_standard_error_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar("budget") as bar:
        assert bar is None
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli_progress, "INTERVAL", 0.0)

    def fail() -> None:
        with progress_bar("budget") as bar:
            assert isinstance(bar, Bar)
            bar(5)
            raise RuntimeError("the command failed")

    with pytest.raises(RuntimeError):
        fail()
    shown = terminal.getvalue()
    assert shown.startswith("\rbudget: 5 rows, ")
    assert _ended(shown)  # the error line after it starts a line of its own


# -- the commands --------------------------------------------------------------------------------------------------
def _run(*argv: str, terminal: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), Terminal() if terminal else io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar draws at every call (no interval), so a short run shows it."""
    monkeypatch.setattr(cli_progress, "INTERVAL", 0.0)


SWEPT = ["--parameter", "xiamen.operating_subsidy.amount", "--values", "20000-30000"]
COMMANDS: dict[str, tuple[list[str], str]] = {
    "budget": (["budget", "--example", "portfolio_xiamen", "--on", "2024-06-01"], "100 rows"),
    "sweep": (
        ["sweep", "--example", "portfolio_xiamen", "--on", "2024-06-01", *SWEPT],
        "100 rows",
    ),
    "assess-many": (["assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01"], "100 rows"),
    "project": (["project", "--example", "xiamen", "--start", "2024-01-01", "--end", "2024-12-31"], "12/12 months"),
    "compare": (["compare", "--example", "xiamen", "--on", "2024-06-01"], "cities"),
    "whatif": (
        ["whatif", "--example", "xiamen", "--on", "2024-06-01", "--reform", "xiamen_operating_up", "--all-cities"],
        "cities",
    ),
}


@pytest.mark.usefixtures("at_once")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_long_command_shows_progress_on_a_terminal_and_nothing_else(name: str) -> None:
    argv, shown = COMMANDS[name]
    status, out, err = _run(*argv, terminal=True)
    plain_status, plain_out, plain_err = _run(*argv, terminal=False)
    assert (status, out) == (plain_status, plain_out) == (0, out)  # the same output and status
    assert plain_err == ("" if name != "assess-many" else plain_err)  # off a terminal: no progress at all
    assert "elapsed" not in plain_err
    assert err.endswith(plain_err)  # what is said off a terminal is said on one too, after the progress line
    progress = err.removesuffix(plain_err)
    assert progress.startswith(f"\r{name}: ")
    assert _ended(progress)
    assert progress.count("\n") == 1  # one line, redrawn in place
    assert shown in progress


def test_progress_is_said_in_the_language_asked(at_once: None) -> None:
    _, _, err = _run("budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--lang", "zh", terminal=True)
    assert err.startswith("\rbudget：已处理")
    assert err.endswith("\n")
