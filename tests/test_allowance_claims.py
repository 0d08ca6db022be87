"""The national childcare allowance's yearly claims (``Allowance.claims``), issue 13 "The allowance's claims".

Sources (digest, "Second round", ``cn.childcare_allowance`` claims and payment):

* 《育儿补贴制度管理规范（试行）》 (NHC and Ministry of Finance, 2025-09-18), as reported by 福州新闻网 on 2025-12-08:
  「对于2025年1月1日以前出生的婴幼儿,首次申请应当在2025年12月31日前提出。逾期未提交申请的,视为自动放弃当年申请资格。」,
  「2025年1月1日及以后出生的婴幼儿,首次申请应在出生当年或次年提出,并在之后的连续两个年度分别提出续领申请。」 and
  「2022年出生的婴幼儿,可申领1次,应当在2025年提出。」 (in the digest's words: 2023 births claim twice, 2024 births
  three times, in 2025, 2026 and 2027; each year's claim is made in that year);
* 合阳县卫生健康局 notice, 2025-10-20: 「育儿补贴按年计算,每年一次性发放。」; NHC Q&A, 2025-08-08:
  「对于2025年1月1日及以后出生的婴幼儿,可连续申领3年补贴,共计10800元。」

The expected figures come from these rules and the NHC table (born 2023-01: 3,900 = 3,600 in 2025 + 300 in 2026),
not from the code. Before this change ``Allowance`` had no ``claims``: every test here fails on it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.cli import main
from tuoyu_rules.core.errors import InvalidInput

D = dt.date
YEAR = Decimal("3600.00")

QUOTES = {
    "cn.allowance_claims_before_2025": (
        "对于2025年1月1日以前出生的婴幼儿,首次申请应当在2025年12月31日前提出。逾期未提交申请的,视为自动放弃当年申请资格。"
    ),
    "cn.allowance_claims_from_2025": (
        "2025年1月1日及以后出生的婴幼儿,首次申请应在出生当年或次年提出,并在之后的连续两个年度分别提出续领申请。"
    ),
    "cn.allowance_claims_2022": "2022年出生的婴幼儿,可申领1次,应当在2025年提出。",
    "cn.allowance_paid_yearly": "育儿补贴按年计算,每年一次性发放。",
    "cn.allowance_three_claims": "对于2025年1月1日及以后出生的婴幼儿,可连续申领3年补贴,共计10800元。",
}


def claim_rows(allowance: tr.Allowance) -> list[tuple[int | None, int, Decimal, dt.date | None]]:
    return [(c.year, c.months, c.amount, c.apply_by) for c in allowance.claims]


def cites(claim: tr.AllowanceClaim) -> set[str]:
    return {c.id for c in claim.citations}


# -- the schedule ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cid", sorted(QUOTES))
def test_claim_citations_quote_the_sources_exactly(cid: str) -> None:
    """Digest, "Second round": the quotes are exact as published; the claims cite them."""
    citation = tr.get_policy("cn").citations[cid]
    assert citation.quote == QUOTES[cid]
    assert citation.confidence == "official"
    claims = (*tr.childcare_allowance(D(2022, 3, 1)).claims, *tr.childcare_allowance(D(2025, 3, 1)).claims)
    assert any(citation in c.citations for c in claims)


def test_management_rules_source_is_named() -> None:
    """The claims rest on the 2025-09-18 management rules, as reported by 福州新闻网 on 2025-12-08."""
    citation = tr.get_policy("cn").citations["cn.allowance_claims_from_2025"]
    assert citation.title == "育儿补贴制度管理规范（试行）"
    assert citation.published == D(2025, 9, 18)
    assert "福州新闻网" in (citation.where or "")
    by_year = tr.get_policy("cn").citations["cn.allowance_claims_by_year"]
    assert by_year.quote is None
    assert "each year's claim is made in that year" in (by_year.summary or "")


def test_a_2022_birth_claims_once_in_2025() -> None:
    """「2022年出生的婴幼儿,可申领1次,应当在2025年提出。」 Born 2022-12: 12 months (NHC table 3,600), one claim,
    last day 2025-12-31 (「首次申请应当在2025年12月31日前提出」)."""
    allowance = tr.childcare_allowance(D(2022, 12, 5))
    assert claim_rows(allowance) == [(2025, 12, YEAR, D(2025, 12, 31))]
    assert {"cn.allowance_claims_2022", "cn.allowance_claims_before_2025"} <= cites(allowance.claims[0])


def test_a_2023_birth_claims_twice_as_the_nhc_table() -> None:
    """2023 births claim twice, in 2025 and 2026 (NHC table, born 2023-01: 3,900 = 3,600 + 300). The 2026 claim is
    made in 2026 ("each year's claim is made in that year"): its last day is 2026-12-31."""
    allowance = tr.childcare_allowance(D(2023, 1, 20))
    assert claim_rows(allowance) == [
        (2025, 12, YEAR, D(2025, 12, 31)),
        (2026, 1, Decimal("300.00"), D(2026, 12, 31)),
    ]
    assert "cn.allowance_claims_by_year" in cites(allowance.claims[1])
    assert "cn.allowance_claims_2022" not in cites(allowance.claims[0])


@pytest.mark.parametrize(
    ("birth", "amounts"),
    [(D(2024, 1, 10), ("3600.00", "3600.00", "300.00")), (D(2024, 12, 1), ("3600.00", "3600.00", "3600.00"))],
)
def test_a_2024_birth_claims_three_times(birth: dt.date, amounts: tuple[str, ...]) -> None:
    """2024 births claim three times, in 2025, 2026 and 2027, as the NHC table's columns (born 2024-01: 7,500)."""
    allowance = tr.childcare_allowance(birth)
    assert [(c.year, c.amount) for c in allowance.claims] == [(2025 + i, Decimal(a)) for i, a in enumerate(amounts)]
    assert [c.apply_by for c in allowance.claims] == [D(2025, 12, 31), D(2026, 12, 31), D(2027, 12, 31)]


def test_born_from_2025_three_claims_of_3600() -> None:
    """NHC Q&A: 「可连续申领3年补贴,共计10800元」; the first claim in the birth year or the next (last day
    2026-12-31 for a 2025 birth); the renewals' years follow the first claim, so before it they have no last day
    (apply_by None, saying so) and both possible years."""
    allowance = tr.childcare_allowance(D(2025, 3, 15))
    assert [(c.number, c.months, c.amount) for c in allowance.claims] == [(n, 12, YEAR) for n in (1, 2, 3)]
    first, renewal, last = allowance.claims
    assert (first.year, first.years, first.apply_by) == (None, (2025, 2026), D(2026, 12, 31))
    assert (renewal.year, renewal.years, renewal.apply_by) == (None, (2026, 2027), None)
    assert (last.year, last.years, last.apply_by) == (None, (2027, 2028), None)
    assert [e.code for e in renewal.explanation] == ["families.claims.renewal_open", "families.claims.cover"]
    assert renewal.explanation[0].params == {"renewal": "1", "year": "2026", "next_year": "2027"}
    assert any("no last day" in n for n in renewal.notes)
    assert all(c.status is None and c.forfeited is None for c in allowance.claims)
    assert allowance.forfeited is None
    assert {"cn.allowance_claims_from_2025", "cn.allowance_three_claims", "cn.allowance_paid_yearly"} <= cites(first)


def test_by_year_stays_a_calendar_attribution() -> None:
    """Digest: "``by_year`` calendar attribution is not a payment schedule": born 2025-03, by_year is 9/12/12/3
    months, the claims 12/12/12."""
    allowance = tr.childcare_allowance(D(2025, 3, 15))
    assert [y.months for y in allowance.by_year] == [9, 12, 12, 3]
    assert [c.months for c in allowance.claims] == [12, 12, 12]
    assert "families.claims.by_year" in [e.code for e in allowance.explanation]
    assert any("by_year attributes the months to calendar years" in r for r in allowance.reasons)


# -- applications and forfeiture -------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "renewals"), [(D(2025, 8, 1), (2026, 2027)), (D(2026, 2, 1), (2027, 2028))])
def test_renewals_follow_the_year_of_the_first_claim(first: dt.date, renewals: tuple[int, int]) -> None:
    """「首次申请应在出生当年或次年提出,并在之后的连续两个年度分别提出续领申请」: a first claim in the birth year
    renews in the two years after it; a first claim in the next year renews in the two years after that. The first
    claim's own last day stays 2026-12-31 (the year after the birth) whenever it is made."""
    allowance = tr.childcare_allowance(D(2025, 3, 15), applied=(first,), as_of=first)
    assert [c.year for c in allowance.claims] == [first.year, *renewals]
    assert [c.apply_by for c in allowance.claims] == [D(2026, 12, 31), *(D(y, 12, 31) for y in renewals)]
    assert [c.status for c in allowance.claims] == ["applied", "open", "open"]
    assert allowance.forfeited == Decimal("0.00")


def test_a_missed_renewal_is_forfeited_alone() -> None:
    """First claim 2026, first renewal 2027, none in 2028: the 2028 renewal (3,600) is forfeited, the others not."""
    allowance = tr.childcare_allowance(D(2025, 3, 15), applied=(D(2026, 2, 1), D(2027, 1, 5)))
    assert [(c.year, c.status, c.forfeited) for c in allowance.claims] == [
        (2026, "applied", Decimal("0.00")),
        (2027, "applied", Decimal("0.00")),
        (2028, "forfeited", YEAR),
    ]
    assert allowance.forfeited == YEAR


def test_before_2025_a_missed_first_claim_forfeits_that_year_only() -> None:
    """「逾期未提交申请的,视为自动放弃当年申请资格」: born 2024-01, no application in 2025, applications in 2026 and
    2027: the 2025 claim (3,600) is forfeited, the later claims stand."""
    allowance = tr.childcare_allowance(D(2024, 1, 10), applied=(D(2026, 3, 1), D(2027, 1, 2)))
    assert [(c.year, c.status) for c in allowance.claims] == [(2025, "forfeited"), (2026, "applied"), (2027, "applied")]
    assert allowance.forfeited == YEAR
    assert [e.code for e in allowance.claims[0].explanation] == [
        "families.claims.first_before_2025",
        "families.claims.forfeited",
    ]
    assert any("视为自动放弃当年申请资格" in n for n in allowance.claims[0].notes)


def test_as_of_keeps_a_claim_open_until_its_last_day() -> None:
    """Born 2023-05 (2025: 3,600; 2026: 1,500), applied 2025-11-02. Known up to 2026-03-01 the 2026 claim is
    open; known up to 2027-01-01 (or read as the complete record) it is forfeited: 1,500."""
    birth, applied = D(2023, 5, 1), (D(2025, 11, 2),)
    still = tr.childcare_allowance(birth, applied=applied, as_of=D(2026, 3, 1))
    assert [c.status for c in still.claims] == ["applied", "open"]
    assert still.forfeited == Decimal("0.00")
    on_the_day = tr.childcare_allowance(birth, applied=applied, as_of=D(2026, 12, 31))
    assert on_the_day.claims[1].status == "open"
    for later in (tr.childcare_allowance(birth, applied=applied, as_of=D(2027, 1, 1)),
                  tr.childcare_allowance(birth, applied=applied)):  # fmt: skip
        assert [c.status for c in later.claims] == ["applied", "forfeited"]
        assert later.forfeited == later.claims[1].forfeited == Decimal("1500.00")


def test_no_first_claim_leaves_the_renewals_undetermined() -> None:
    """Born 2025: no application in 2025 or 2026 forfeits the first claim; the rules time the renewals from it
    and do not say whether the child can still renew: undetermined, neither paid nor forfeited, with no day."""
    allowance = tr.childcare_allowance(D(2025, 3, 15), applied=())
    assert [c.status for c in allowance.claims] == ["forfeited", "undetermined", "undetermined"]
    assert [c.apply_by for c in allowance.claims] == [D(2026, 12, 31), None, None]
    assert allowance.forfeited == YEAR
    undetermined = next(e for e in allowance.explanation if e.code == "families.claims.undetermined_total")
    assert undetermined.params == {"amount": "7200.00"}
    assert any("undetermined" in r and "7,200 yuan" in r for r in allowance.reasons)


def test_applications_matching_no_claim_are_listed() -> None:
    """A 2022 birth's claim is made in 2025: an application in 2026 matches nothing and is listed; a second
    application in 2025 too."""
    late = tr.childcare_allowance(D(2022, 5, 1), applied=(D(2026, 1, 5),))
    assert late.claims[0].status == "forfeited"
    assert late.unmatched == (D(2026, 1, 5),)
    unmatched = [e.params for e in late.explanation if e.code == "families.claims.unmatched_no_claim"]
    assert unmatched == [{"day": "2026-01-05", "year": "2026"}]
    assert any("2026-01-05 matches no claim: no claim is made in 2026" in r for r in late.reasons)
    twice = tr.childcare_allowance(D(2022, 5, 1), applied=(D(2025, 6, 1), D(2025, 3, 1)))
    assert (twice.claims[0].application, twice.unmatched) == (D(2025, 3, 1), (D(2025, 6, 1),))
    assert twice.applied == (D(2025, 3, 1), D(2025, 6, 1))


def test_no_allowance_means_no_claim() -> None:
    """Born 2021 (turned 3 before the scheme) or not of PRC nationality: no claim; applications match nothing."""
    assert tr.childcare_allowance(D(2021, 12, 1)).claims == ()
    foreign = tr.childcare_allowance(D(2025, 5, 1), prc_national=False, applied=(D(2025, 9, 1),))
    assert (foreign.claims, foreign.forfeited, foreign.unmatched) == ((), Decimal("0.00"), (D(2025, 9, 1),))
    assert [e.code for e in foreign.explanation] == [
        "families.allowance.not_prc_national",
        "families.claims.unmatched_none_paid",
    ]
    assert "PRC nationality" in foreign.reasons[0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"applied": "2025-10-01"}, "applied"),
        ({"applied": D(2025, 10, 1)}, "applied"),
        ({"applied": ("2025-10-01",)}, "applied"),
        ({"applied": (dt.datetime(2025, 10, 1, 9, 0),)}, "applied"),
        ({"applied": (D(2023, 1, 1),)}, "applied"),
        ({"applied": (D(2026, 1, 1),), "as_of": D(2025, 12, 31)}, "applied"),
        ({"as_of": D(2025, 12, 31)}, "as_of"),
        ({"applied": (), "as_of": "2025-12-31"}, "as_of"),
    ],
)
def test_bad_applications_are_named(kwargs: dict[str, object], field: str) -> None:
    """Bad input names the argument: applications are dates, not before the birth, not after ``as_of``; ``as_of``
    is a date and needs ``applied``."""
    with pytest.raises(InvalidInput, match=rf"^{field}:"):
        tr.childcare_allowance(D(2024, 3, 1), **kwargs)  # type: ignore[arg-type]


def test_claims_dump_to_json_and_back() -> None:
    allowance = tr.childcare_allowance(D(2025, 3, 15), applied=(D(2025, 8, 1),), as_of=D(2025, 9, 1))
    data = allowance.model_dump(mode="json")
    assert data["claims"][0]["amount"] == "3600.00"
    assert data["claims"][0]["apply_by"] == "2026-12-31"
    assert data["claims"][1]["apply_by"] == "2026-12-31"
    assert data["forfeited"] == "0.00"
    assert tr.Allowance.model_validate(allowance.model_dump()) == allowance


# -- properties ------------------------------------------------------------------------------------------------

births = st.dates(min_value=D(2021, 12, 1), max_value=D(2030, 12, 31))


@given(birth=births)
def test_claims_add_up_to_the_total(birth: dt.date) -> None:
    """Issue 13: claims add up to ``total`` (births 2021-12 to 2030-12). Born before 2025 the claims are the
    calendar years (the NHC table's columns) with 31 December as the last day; from 2025, three claims of
    3,600, the first by 31 December of the year after the birth."""
    allowance = tr.childcare_allowance(birth)
    assert sum((c.amount for c in allowance.claims), Decimal(0)) == allowance.total
    assert sum(c.months for c in allowance.claims) == allowance.months
    assert [c.number for c in allowance.claims] == list(range(1, len(allowance.claims) + 1))
    if birth < D(2025, 1, 1):
        assert [(c.year, c.months, c.amount) for c in allowance.claims] == [tuple(y) for y in allowance.by_year]
        assert all(c.year is not None and c.apply_by == D(c.year, 12, 31) for c in allowance.claims)
    else:
        assert [c.amount for c in allowance.claims] == [YEAR] * 3
        assert allowance.claims[0].apply_by == D(birth.year + 1, 12, 31)


@given(
    birth=births,
    offsets=st.lists(st.integers(min_value=0, max_value=5 * 366), max_size=5),
    as_of=st.none() | st.integers(min_value=0, max_value=6 * 366),
)
def test_every_claim_is_applied_open_forfeited_or_undetermined(
    birth: dt.date, offsets: list[int], as_of: int | None
) -> None:
    """With applications: the claims' amounts split into applied, open, forfeited and undetermined, adding up to
    ``total``; ``forfeited`` is the sum of the forfeited claims; a claim is forfeited only after its last day;
    each application is matched to one claim of its own year or listed as matching none."""
    day = None if as_of is None else birth + dt.timedelta(days=as_of)
    applied = tuple(birth + dt.timedelta(days=o) for o in offsets if day is None or birth + dt.timedelta(days=o) <= day)
    allowance = tr.childcare_allowance(birth, applied=applied, as_of=day)
    by_status: dict[str, Decimal] = {}
    for c in allowance.claims:
        assert c.status is not None
        by_status[c.status] = by_status.get(c.status, Decimal(0)) + c.amount
        if c.status == "forfeited":
            assert c.apply_by is not None
            assert day is None or day > c.apply_by
            assert c.forfeited == c.amount
        else:
            assert c.forfeited == Decimal("0.00")
        if c.status == "applied":
            assert c.application is not None
            assert c.year == c.application.year
    assert sum(by_status.values(), Decimal(0)) == allowance.total
    assert allowance.forfeited == by_status.get("forfeited", Decimal("0.00"))
    matched = [c.application for c in allowance.claims if c.application is not None]
    assert sorted([*matched, *allowance.unmatched]) == sorted(applied)


# -- the command line ------------------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_prints_the_claims_and_what_is_forfeited() -> None:
    """``tuoyu allowance`` lists the claims with their last days; ``--applied`` shows what is forfeited."""
    code, out, _ = run("allowance", "2025-03-15", "--applied", "2026-02-01", "--applied", "2027-01-05")
    assert code == 0
    assert "Claims" in out
    assert "2028       12 months    3,600.00  apply by 2028-12-31  forfeited" in out
    assert "forfeited  3,600.00" in out
    code, out, _ = run("allowance", "2025-03-15", "--as-of", "2025-06-01")
    assert code == 0
    assert "2026/2027  12 months    3,600.00  no last day yet      open" in out
    code, out, _ = run("allowance", "2023-01-15", "--format", "json")
    data = json.loads(out)
    assert [(c["year"], c["amount"], c["apply_by"]) for c in data["claims"]] == [
        (2025, "3600.00", "2025-12-31"),
        (2026, "300.00", "2026-12-31"),
    ]
    assert data["forfeited"] is None


def test_cli_bad_application_exits_2() -> None:
    code, out, err = run("allowance", "2025-03-15", "--applied", "2024-01-01")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "applied:" in err
