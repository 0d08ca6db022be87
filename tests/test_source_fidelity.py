"""Issue 13, "Rules the sources state that the code misses or overstates": each test cites its source.

* Hangzhou from 2026-02-01 (successor measure, reprint 2026-01-14: amounts not published): a rate the caller
  gives is not checked against the old 每月300~900元, and a pin and a designation's amount behave the same way
  on every day.
* Xiamen's per-class reading (东方财富网 reprint, 2022-07-07): paid "after acceptance" (验收), a fact the caller
  gives; unsupplied, it is listed in ``missing`` and changes nothing.
* Sichuan (雅安日报, 2025-08): 「幼儿园未设置独立托班,与学龄前幼儿混合编班,按学前教育进行服务管理的,不纳入本补助
  范围。幼儿园开设的托班,不能同时享受普惠托育与学前教育的相关财政补助。」
* Programmes with no stated dates: before the earliest dated source reporting them, undetermined.
* Unsourced words: who sets Hangzhou's rate (nothing published says), the measure's title with 暂行, Sichuan's
  unseen wording never in quotation marks, and the allowance paid by the year citing 合阳县卫生健康局's notice.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from test_jurisdiction_pages import GEN  # tools/gen_docs.py, loaded once
from tuoyu_rules.core.loading import build_policy, builtin_sources
from tuoyu_rules.core.messages import Explanation

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
PUHUI = "hangzhou.puhui_subsidy"
OPERATING = "xiamen.operating_subsidy"
EXCLUSION_QUOTE = (
    "幼儿园未设置独立托班,与学龄前幼儿混合编班,按学前教育进行服务管理的,不纳入本补助范围。"
    "幼儿园开设的托班,不能同时享受普惠托育与学前教育的相关财政补助。"
)


def d(text: str) -> Decimal:
    return Decimal(text)


def hangzhou(*designations: tr.Designation) -> tr.Facility:
    return tr.Facility(
        jurisdiction="hangzhou", mode="third_party", embedded=True, places=60, enrolled=20, filed=True,
        designations=designations,
    )  # fmt: skip


# -- 1. Hangzhou: pins and designation amounts, every day ----------------------------------------------------


def test_a_successor_rate_on_a_2025_recognition_is_not_checked_against_300_900() -> None:
    """Successor measure (2026-02-01 to 2029-01-31, amounts not published): a facility recognised in 2025 that
    gives its successor rate of 1,000 is accepted (before: a ValidationError, "[300.00, 900.00]")."""
    designation = tr.Designation("hangzhou.puhui", 2025, "1000")
    e = tr.assess(hangzhou(designation), on=dt.date(2026, 2, 1)).entitlement(PUHUI)
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.exactly(d("1000")))
    old = tr.assess(hangzhou(designation), on=dt.date(2026, 1, 31)).entitlement(PUHUI)
    assert (old.status, old.amount) == ("eligible", tr.AmountRange.of("300", "900"))
    outside = {"amount": "1000.00", "range": "300.00..900.00", "on": "2026-01-31"}
    said = [x for x in old.explanation if x.code == "core.pin.designation_outside"]
    assert len(said) == 1
    assert outside.items() <= said[0].params.items()
    assert any("range in force on 2026-01-31" in r and "not applied" in r for r in old.reasons)


def _same_words(explained: Explanation) -> tuple[str, dict[str, str]]:
    """A reason (its code and params) with the way the amount was given (pin or designation) named alike, for
    comparing the two: the field it was given in aside, a designation's amount reads as a pin."""
    params = {k: v for k, v in explained.params.items() if k != "field"}
    return explained.code.replace("core.pin.designation_outside", "core.pin.outside"), params


def _same_day(amount: str, day: dt.date) -> tuple[Any, Any]:
    """The 普惠 entry with the rate given as the designation's amount, and as a pin; or the error each raised."""

    def run(by_pin: bool) -> Any:
        try:
            designation = tr.Designation("hangzhou.puhui", 2025, None if by_pin else amount)
            pins = {PUHUI: amount} if by_pin else None
            e = tr.assess(hangzhou(designation), on=day, pins=pins).entitlement(PUHUI)
        except (ValidationError, tr.TuoyuError) as exc:
            return type(exc).__name__
        reasons = tuple(_same_words(x) for x in e.explanation)
        return e.status, e.amount, reasons, e.missing

    return run(by_pin=False), run(by_pin=True)


@pytest.mark.parametrize("amount", ["250", "300", "900", "900.01", "1000"])
@pytest.mark.parametrize("day", [dt.date(2025, 6, 1), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2029, 1, 31)])
def test_a_pin_and_a_designation_amount_give_the_same_entry_on_every_day(amount: str, day: dt.date) -> None:
    """Issue 13: "pins and designation amounts behave the same way on every day" (before: the designation was
    refused for 2025 outside 300-900, and a pin outside the day's range raised while a designation was not applied)."""
    by_designation, by_pin = _same_day(amount, day)
    assert by_designation == by_pin
    assert not isinstance(by_pin, str)  # no error: the successor's amounts are not stated, so nothing bounds a rate


@settings(max_examples=40, deadline=None)
@given(
    st.decimals(min_value=0, max_value=5000, places=2),
    st.dates(min_value=dt.date(2022, 10, 1), max_value=dt.date(2029, 1, 31)),
)
def test_property_pins_and_designation_amounts_agree(amount: Decimal, day: dt.date) -> None:
    by_designation, by_pin = _same_day(str(amount), day)
    assert by_designation == by_pin


def test_a_pin_inside_no_range_of_the_law_is_still_an_error() -> None:
    """对用人单位自建自办的托育中心实行5万~10万元的建设补助, tiers 5/8/10万: 60,000 is no tier on any day."""
    f = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    with pytest.raises(tr.AmountOutsideRange, match=r"not one of 50000\.00, 80000\.00, 100000\.00"):
        tr.assess(f, on=dt.date(2024, 6, 1), pins={"xiamen.construction_subsidy": "60000"})


# -- 2. Xiamen: after acceptance (验收) ------------------------------------------------------------------------


def xiamen(**extra: Any) -> tr.Facility:
    return tr.Facility(jurisdiction="xiamen", mode="self_run", places=40, enrolled=30, **extra)


def test_per_class_reading_lists_acceptance_when_not_supplied() -> None:
    """东方财富网 2022-07-07 (secondary): the subsidy is paid per class after acceptance (验收). Not supplied:
    listed in missing, status and amount unchanged (before: nothing listed)."""
    e = tr.assess(xiamen(classes=(8, 14)), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.exactly(d("40000")))
    assert e.missing == ("accepted",)
    assert any("验收" in r and "missing" in r for r in e.reasons)
    accepted = tr.assess(xiamen(classes=(8, 14), accepted=True), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert (accepted.status, accepted.amount, accepted.missing) == ("eligible", e.amount, ())


def test_per_class_reading_not_accepted_is_ineligible() -> None:
    e = tr.assess(xiamen(classes=(8, 14), accepted=False), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert any("验收" in r for r in e.reasons)


def test_acceptance_changes_nothing_under_the_seed_reading() -> None:
    """对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助: without class sizes, acceptance is not read."""
    for accepted in (None, True, False):
        e = tr.assess(xiamen(accepted=accepted), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
        assert (e.status, e.amount, e.missing) == ("eligible", tr.AmountRange.of("15000", "25000"), ())
    assert "验收" in _field_doc("accepted")  # the field is documented with the source's word


def _field_doc(name: str) -> str:
    """The attribute docstring of a Facility field (from the source of core/models.py)."""
    text = (ROOT / "src" / "tuoyu_rules" / "core" / "models.py").read_text(encoding="utf-8")
    match = re.search(rf"\n    {name}: [^\n]*\n    \"\"\"(.*?)\"\"\"", text, re.S)
    return "" if match is None else match.group(1)


# -- 3. Sichuan: kindergartens (雅安日报) ------------------------------------------------------------------------


def chengdu(**extra: Any) -> list[tr.Entitlement]:
    f = tr.Facility(
        jurisdiction="chengdu", mode="self_run", places=40, enrolled=20, full_day_enrolled=12, filed=True,
        designations=(tr.Designation("sichuan.puhui", 2025),), **extra,
    )  # fmt: skip
    entries = [e for e in tr.assess(f, on=dt.date(2025, 10, 1)).entitlements if e.program.startswith("sichuan.puhui")]
    assert entries
    return entries


@pytest.mark.parametrize("fact", ["mixed_with_preschool", "preschool_subsidy"])
def test_a_kindergarten_excluded_by_the_measure_is_ineligible(fact: str) -> None:
    """不纳入本补助范围 / 不能同时享受: either fact true makes the subsidy ineligible, citing the exact quote."""
    for e in chengdu(**{fact: True}):
        assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
        quotes = [c.quote for c in e.citations if c.id == "sichuan.puhui_exclusion"]
        assert quotes == [EXCLUSION_QUOTE]


def test_the_exclusion_facts_unsupplied_are_missing_and_change_nothing() -> None:
    settled = chengdu(mixed_with_preschool=False, preschool_subsidy=False)
    open_ = chengdu()
    for a, b in zip(settled, open_, strict=True):
        assert (a.status, a.amount) == (b.status, b.amount) == ("eligible", a.amount)
        assert {"mixed_with_preschool", "preschool_subsidy"} <= set(b.missing)
        assert not {"mixed_with_preschool", "preschool_subsidy"} & set(a.missing)


def test_the_exclusion_quote_is_cited_from_its_source() -> None:
    citation = tr.get_policy("sichuan").citations["sichuan.puhui_exclusion"]
    assert citation.quote == EXCLUSION_QUOTE
    assert "雅安日报" in citation.source
    digest = Path("/tmp/mig/policy-digest.md")
    if digest.is_file():
        assert f"「{EXCLUSION_QUOTE}」" in digest.read_text(encoding="utf-8")


# -- 4. undated programmes ---------------------------------------------------------------------------------------


def test_before_the_earliest_source_an_undated_programme_is_undetermined() -> None:
    """Xiamen's operating subsidy is first reported on 2022-07-07 (东方财富网): on 2022-07-06 it is not known to
    be law (before: eligible 15,000-25,000, as if it had always been in force)."""
    before = tr.assess(xiamen(), on=dt.date(2022, 7, 6)).entitlement(OPERATING)
    assert before.status == "undetermined"
    assert (before.amount.low, before.amount.high) == (d("0.00"), d("25000.00"))
    assert any("2022-07-07" in r and "not known" in r for r in before.reasons)
    assert before.missing == ("xiamen.operating_subsidy.start",)  # the fact that would decide it: no source states it
    assert "xiamen.per_class" in {c.id for c in before.citations}
    assert tr.assess(xiamen(), on=dt.date(2022, 7, 7)).entitlement(OPERATING).status == "eligible"


def test_an_ineligible_facility_stays_ineligible_before_the_first_report() -> None:
    e = tr.assess(xiamen(), on=dt.date(2020, 1, 1)).entitlement("xiamen.construction_subsidy")
    assert e.status == "ineligible"  # not self-built: nothing either way
    assert any("2022-08-26" in r for r in e.reasons)


def test_every_undated_programme_with_a_dated_source_is_bounded_by_the_earliest() -> None:
    """reported_since is the published date of the earliest dated source each programme cites, never invented;
    a programme none of whose sources carries a date has none (and its data says it is undated)."""
    seen = 0
    for jid in tr.list_jurisdictions():
        for p in tr.get_policy(jid).programs:
            dates = sorted(c.published for c in p.citations if c.published is not None)
            if p.start is not None:
                assert p.reported_since is None, p.id
            elif dates:
                assert p.reported_since == dates[0], p.id
                seen += 1
            else:
                assert p.reported_since is None, p.id
    assert seen >= 10


def test_the_loader_refuses_an_invented_reported_since() -> None:
    data: dict[str, Any] = {
        "jurisdiction": {"id": "x", "name_zh": "x", "name_en": "x", "level": "city", "parent": "cn",
                         "division_code": "999900"},
        "citations": {"x.c": {"source": "eastmoney_2022_07_07", "clause": "c", "summary": "s"}},
        "payers": {"x.p": {"name_zh": "p", "name_en": "p"}},
        "programs": {"x.a": {"kind": "condition", "name_zh": "a", "name_en": "a", "cite": ["x.c"],
                             "reported_since": dt.date(2021, 1, 1)}},
    }  # fmt: skip
    with pytest.raises(tr.PolicyDataError, match=r"reported_since.*2022-07-07"):
        build_policy(data, {}, sources=builtin_sources())
    data["programs"]["x.a"]["reported_since"] = dt.date(2022, 7, 7)
    assert build_policy(data, {}, sources=builtin_sources()).programs[0].reported_since == dt.date(2022, 7, 7)


# -- 5. unsourced words ------------------------------------------------------------------------------------------


def test_nothing_printed_says_who_sets_hangzhous_rate() -> None:
    """Nothing published says who sets the rate inside 300-900 (digest, second round)."""
    e = tr.assess(hangzhou(tr.Designation("hangzhou.puhui", 2023)), on=dt.date(2024, 6, 1)).entitlement(PUHUI)
    text = " ".join(e.reasons) + " ".join(u.value for u in e.parameters)
    assert "bureau sets" not in text
    assert any("nothing published says who sets the rate" in r for r in e.reasons)
    policy = tr.get_policy("hangzhou")
    notes = [v.note or "" for v in policy.parameters[f"{PUHUI}.amount"].values]
    assert not any("bureau sets" in n for n in notes)


def test_the_measure_is_named_with_its_own_title() -> None:
    """The seed names it 《杭州市普惠性婴幼儿照护服务机构认定管理暂行办法》 (杭卫发〔2022〕68号)."""
    title = "杭州市普惠性婴幼儿照护服务机构认定管理暂行办法"
    assert title in builtin_sources()["hangzhou_hc_2022_68"]["title"]
    if SEEDS.is_dir():
        assert f"《{title}》" in (SEEDS / "000_c1cdc2b76565fa65.txt").read_text(encoding="utf-8")


def test_no_unseen_sichuan_wording_is_shown_in_quotation_marks() -> None:
    """The measure's own words were not seen: its term is said in our words; the only quote is Ya'an Daily's."""
    text = resources.files("tuoyu_rules.jurisdictions").joinpath("sichuan.toml").read_text(encoding="utf-8")
    assert not re.search(r'#[^\n]*"[^"\n]*[\u4e00-\u9fff][^"\n]*"', text)  # no quoted Chinese in comments
    measure = builtin_sources()["sichuan_puhui_measures"]["document"]
    policy = tr.get_policy("sichuan")
    assert all(c.quote is None for c in policy.citations.values() if c.source == measure)
    assert policy.citations["sichuan.puhui_exclusion"].quote == EXCLUSION_QUOTE  # Ya'an Daily's own words


def test_readings_of_who_decides_inside_a_range_say_they_are_readings() -> None:
    """No source says who picks the sum inside a range: a reason that says so starts its clause with "reading:"."""
    facilities = [
        tr.Facility(jurisdiction="weifang", mode="self_run", places=10, enrolled=5,
                    designations=(tr.Designation("weifang.caring_employer", 2023),)),
        tr.Facility(jurisdiction="xiamen", mode="purchased_places", places=10, enrolled=5,
                    designations=(tr.Designation("fujian.caring_employer", 2023),)),
        tr.Facility(jurisdiction="qianan", mode="self_run", places=10, enrolled=5,
                    designations=(tr.Designation("qianan.caring_unit", 2024),)),
        tr.Facility(jurisdiction="hangzhou", mode="self_run", places=10, enrolled=5, embedded=True,
                    designations=(tr.Designation("hangzhou.demonstration", 2023),)),
    ]  # fmt: skip
    decides = re.compile(r"(decides|sets|picks) (the|inside)")
    checked = 0
    for f in facilities:
        for e in tr.assess(f, on=dt.date(2024, 6, 1)).entitlements:
            for r in e.reasons:
                for clause in r.split(";"):
                    if decides.search(clause) and "designation decides" not in clause:
                        assert "reading:" in clause or "nothing published" in clause, (e.program, clause)
                        checked += 1
    assert checked >= 4


def test_the_family_cost_cites_the_allowance_paid_by_the_year() -> None:
    """「育儿补贴按年计算,每年一次性发放。」 (合阳县卫生健康局, 2025-10-20): the step cites it; nothing says "paid
    yearly to parents" unsourced."""
    cost = tr.family_monthly_cost("2000", birth=dt.date(2024, 3, 10))
    step = next(s for s in cost.steps if "national 育儿补贴" in s)
    assert "育儿补贴按年计算,每年一次性发放" in step
    assert "cn.allowance_paid_yearly" in step
    assert "paid yearly to parents" not in step
    assert "cn.allowance_paid_yearly" in {c.id for c in cost.citations}


# -- 6. the docs pages ---------------------------------------------------------------------------------------------


def test_each_changed_reading_shows_on_its_jurisdiction_page() -> None:
    pages: dict[str, str] = GEN.generated()
    esc = GEN.esc
    assert esc("first reported 2022-07-07") in pages["jurisdictions/xiamen.md"]
    assert "验收" in pages["jurisdictions/xiamen.md"]
    assert esc(EXCLUSION_QUOTE) in pages["jurisdictions/sichuan.md"]
    assert esc("facility.mixed_with_preschool") in pages["jurisdictions/sichuan.md"]
    assert esc("facility.preschool_subsidy") in pages["jurisdictions/sichuan.md"]
    hz = pages["jurisdictions/hangzhou.md"]
    assert esc("Nothing published says who sets the 普惠 rate") in hz
    assert esc("Pins and designation amounts behave the same way on every day") in hz
    assert esc("first reported 2022-09-30") in hz
