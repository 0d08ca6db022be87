"""The language asked travels through the batch path and budgets (issue 14): a cache made with ``lang="zh"`` gives
the Chinese reasons ``tr.assess(..., lang="zh")`` gives, and a cache refuses a call in another language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

import tuoyu_rules as tr
from strategies import dates, facilities
from tuoyu_rules.batch import RuleCache, assess_many

ON = dt.date(2024, 6, 1)


@settings(max_examples=60)
@given(facilities(), dates())
def test_a_chinese_cache_gives_the_chinese_assessment(f: tr.Facility, day: dt.date) -> None:
    cache = RuleCache(on=day, lang="zh")
    assert cache.assessment(f) == tr.assess(f, on=day, lang="zh")
    assert cache.assessment(f) == tr.assess(f, on=day, lang="zh")  # a hit gives the same


def test_assess_many_passes_the_language_and_a_cache_in_another_is_refused() -> None:
    f = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    (zh,) = assess_many([f], on=ON, lang="zh")
    assert zh == tr.assess(f, on=ON, lang="zh")
    with pytest.raises(tr.InvalidInput, match="lang"):
        list(assess_many([f], on=ON, cache=RuleCache(on=ON, lang="zh")))


def test_a_budget_in_chinese_has_chinese_open_reasons_and_the_same_sums() -> None:
    rows = [
        tr.Facility(jurisdiction="hangzhou", mode="self_run", places=30, enrolled=20),
        tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20),
    ]
    en, zh = tr.budget(rows, on=ON), tr.budget(rows, on=ON, lang="zh")
    assert [p.amount for p in en.scenarios[0].by_payer] == [p.amount for p in zh.scenarios[0].by_payer]
    with pytest.raises(tr.InvalidInput, match="lang"):
        tr.budget(rows, on=ON, lang="fr")  # type: ignore[arg-type]


def test_a_budget_through_the_cache_equals_the_sum_of_assessments_with_repeated_rows() -> None:
    """Alike facilities share one stored result, added once times their count: the same sums as adding each."""
    base = tr.Facility(jurisdiction="xiamen", mode="joint_run", places=30, enrolled=20)
    rows = [base] * 7 + [base.model_copy(update={"mode": "self_run", "self_built": True})] * 3
    fast = tr.budget(rows, on=ON)
    totals: dict[tuple[str, str], tr.AmountRange] = {}
    for f in rows:
        for t in tr.assess(f, on=ON).totals():
            totals[(t.payer, t.basis)] = totals.get((t.payer, t.basis), tr.AmountRange.zero()) + t.amount
    got = {(p.payer, p.basis): p.amount for p in fast.scenarios[0].by_payer}
    assert {k: v for k, v in got.items() if k in totals} == totals
    assert fast.scenarios[0].facilities == 10
