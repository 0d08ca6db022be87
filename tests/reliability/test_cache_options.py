"""A cache answers only for the options it was made with (issue 18, "``cache=`` silently drops ``reform=``,
``rounding=`` and other options in ``tally``, ``tally_columns`` and ``assess_many``").

Before: given ``cache=``, the batch functions checked only the day and the jurisdiction and used the cache's
other options whatever the call asked; 304 Xiamen facilities under a reform raising the operating subsidy to
20,000 yuan gave the baseline's 456,000,000 fen instead of the reform's 608,000,000. Now a
:class:`~tuoyu_rules.batch.RuleCache` carries its options (read-only) and a call whose options differ is
refused with an :class:`~tuoyu_rules.InvalidInput` naming the option.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache, assess_many, tally, tally_columns, totals_fen

ON = dt.date(2025, 6, 1)
FACILITIES = 304
YEARLY = ("xiamen.union", "per_year")
"""Xiamen's yearly operating subsidy: 15,000 yuan (low) per facility under the law, 20,000 under the reform."""
BASELINE_FEN, REFORM_FEN = 456_000_000, 608_000_000


def _reform() -> tr.Reform:
    text = resources.files("tuoyu_rules.examples").joinpath("xiamen_operating_up.reform.json").read_text("utf-8")
    return tr.Reform.loads(text)


REFORM = _reform()
ROW = json.loads(resources.files("tuoyu_rules.examples").joinpath("xiamen.json").read_text("utf-8"))
ROWS = [ROW] * FACILITIES
COLUMNS = {name: [value] * FACILITIES for name, value in ROW.items()}

Tally = Callable[..., dict[tuple[str, str], Any]]
TALLIES: dict[str, Tally] = {
    "tally": lambda **kw: tally(ROWS, **kw),
    "tally_columns": lambda **kw: tally_columns(COLUMNS, **kw),
    "assess_many": lambda **kw: totals_fen(assess_many(ROWS, output="fen", **kw)),
}


@pytest.mark.parametrize("name", TALLIES)
def test_the_figures_of_the_finding(name: str) -> None:
    run = TALLIES[name]
    assert run(on=ON)[YEARLY].low == BASELINE_FEN
    assert run(on=ON, reform=REFORM)[YEARLY].low == REFORM_FEN


@pytest.mark.parametrize("name", TALLIES)
def test_a_baseline_cache_never_answers_for_a_reform(name: str) -> None:
    run = TALLIES[name]
    baseline = RuleCache(on=ON)
    assert run(on=ON, cache=baseline)[YEARLY].low == BASELINE_FEN  # warm: the baseline's results are stored
    with pytest.raises(tr.InvalidInput, match="reform") as info:
        run(on=ON, reform=REFORM, cache=baseline)
    assert info.value.field == "cache"
    assert "the reform 'xiamen-operating-up'" in str(info.value)
    for_reform = RuleCache(on=ON, reform=REFORM)
    assert run(on=ON, reform=REFORM, cache=for_reform)[YEARLY].low == REFORM_FEN
    assert run(on=ON, reform=_reform(), cache=for_reform)[YEARLY].low == REFORM_FEN  # an equal reform is the same
    with pytest.raises(tr.InvalidInput, match="reform"):
        run(on=ON, cache=for_reform)  # and a reform's cache never answers for the law


@pytest.mark.parametrize("name", TALLIES)
@pytest.mark.parametrize(
    ("made", "asked", "option"),
    [
        ({"rounding": "ROUND_HALF_EVEN"}, {}, "rounding"),
        ({}, {"rounding": "ROUND_DOWN"}, "rounding"),
        ({"pins": {"xiamen.construction_subsidy": 80000}}, {}, "pins"),
        ({}, {"pins": {"xiamen.construction_subsidy": 80000}}, "pins"),
        ({"pins": {"xiamen.construction_subsidy": 80000}}, {"pins": {"xiamen.construction_subsidy": 90000}}, "pins"),
        ({"jurisdiction": "weifang"}, {}, "jurisdiction"),
        ({"on": dt.date(2024, 1, 1)}, {}, "on"),
    ],
)
def test_every_option_that_differs_is_named(
    name: str, made: dict[str, Any], asked: dict[str, Any], option: str
) -> None:
    cache = RuleCache(**{"on": ON, **made})
    with pytest.raises(tr.InvalidInput, match=f" {option}=") as info:
        TALLIES[name](**{"on": ON, **asked}, cache=cache)
    assert isinstance(info.value, ValueError)  # as before: the old error was a ValueError


@pytest.mark.parametrize("name", TALLIES)
def test_the_same_options_share_the_cache(name: str) -> None:
    options: dict[str, Any] = {
        "rounding": "ROUND_HALF_EVEN",
        "pins": {"xiamen.construction_subsidy": 80000},
        "reform": REFORM,
        "jurisdiction": "xiamen",
    }
    cache = RuleCache(on=ON, **options)
    want = TALLIES[name](on=ON, **options)
    assert TALLIES[name](on=ON, cache=cache, **options) == want
    assert TALLIES[name](on=ON, cache=cache, **options) == want
    assert cache.hits > 0
    assert TALLIES[name](on=ON, cache=RuleCache(on=ON, pins={}), pins=None) == TALLIES[name](on=ON)  # none is none


def test_the_cache_carries_its_options_read_only() -> None:
    cache = RuleCache(on=ON, jurisdiction="xiamen", rounding="ROUND_DOWN", reform=REFORM)
    assert (cache.on, cache.jurisdiction) == (ON, "xiamen")
    assert dict(cache.options) == {"rounding": "ROUND_DOWN", "reform": REFORM}
    with pytest.raises(TypeError):
        cache.options["reform"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        cache.on = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_not_a_cache_is_refused() -> None:
    with pytest.raises(tr.InvalidInput, match="RuleCache"):
        tally(ROWS, on=ON, cache={"on": ON})  # type: ignore[arg-type]
