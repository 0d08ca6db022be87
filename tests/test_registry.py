"""The registry: list_jurisdictions, get_policy, chain; Policy identity fields (contract, "Discovery")."""

from __future__ import annotations

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.registry import builtin_jurisdictions, find_designation, known_designations

SEED_IDS = ("cn", "fujian", "xiamen")


def test_list_is_sorted_unique_and_contains_the_seed_layers() -> None:
    ids = tr.list_jurisdictions()
    assert isinstance(ids, tuple)
    assert list(ids) == sorted(set(ids))
    assert set(SEED_IDS) <= set(ids)
    assert set(builtin_jurisdictions()) <= set(ids)


@pytest.mark.parametrize(
    ("jid", "name_zh", "level", "parent", "code"),
    [
        ("cn", "中华人民共和国", "national", None, "100000"),
        ("fujian", "福建省", "province", "cn", "350000"),
        ("xiamen", "厦门市", "city", "fujian", "350200"),
    ],
)
def test_policy_identity(jid: str, name_zh: str, level: str, parent: str | None, code: str) -> None:
    """GB/T 2260: Fujian 350000, Xiamen 350200 (厦门市, a prefecture-level city of 福建省)."""
    p = tr.get_policy(jid)
    assert isinstance(p, tr.Policy)
    assert (p.id, p.name_zh, p.level, p.parent, p.division_code) == (jid, name_zh, level, parent, code)
    assert p.name_en


@pytest.mark.parametrize("jid", sorted(set(tr.list_jurisdictions())))
def test_every_registered_policy_is_well_formed(jid: str) -> None:
    """Every jurisdiction, bundled or added later: identity fields, a parent chain ending at ``cn``, six-digit
    division code, and programmes whose ids start with the jurisdiction id and that cite a clause."""
    p = tr.get_policy(jid)
    assert p.id == jid
    assert p.level in ("national", "province", "city", "district")
    assert p.division_code.isdigit()
    assert len(p.division_code) == 6
    assert (p.parent is None) == (p.level == "national")
    layers = tr.chain(jid)
    assert layers[0] is p
    assert layers[-1].id == "cn"
    order = {"district": 0, "city": 1, "province": 2, "national": 3}
    assert [order[x.level] for x in layers] == sorted(order[x.level] for x in layers)
    for program in p.programs:
        owners = (f"{jid}.", f"{p.parent}.") if p.level == "district" else (f"{jid}.",)
        assert program.id.startswith(owners)  # a district may use its city's prefix (xiamen.siming_allowance)
        assert program.citations, program.id
        assert all(isinstance(c, tr.Citation) for c in program.citations)
    assert tr.get_policy(jid) is p  # loaded once


def test_get_policy_of_an_unknown_id() -> None:
    """Contract: "An unknown id raises ``tr.UnknownJurisdiction``, a subclass of both ``tr.TuoyuError`` and
    ``LookupError``, whose message lists the known ids"."""
    with pytest.raises(tr.UnknownJurisdiction) as info:
        tr.get_policy("atlantis")
    err = info.value
    assert isinstance(err, tr.TuoyuError)
    assert isinstance(err, LookupError)
    assert str(err).startswith("unknown jurisdiction 'atlantis'; known ids: ")
    for jid in tr.list_jurisdictions():
        assert jid in str(err)
    assert err.known == tr.list_jurisdictions()
    assert err.jurisdiction_id == "atlantis"


@pytest.mark.parametrize("bad", ["", "Xiamen", "xiamen ", 42, None])
def test_get_policy_refuses_near_misses(bad: object) -> None:
    with pytest.raises(tr.UnknownJurisdiction):
        tr.get_policy(bad)  # type: ignore[arg-type]


def test_lookup_error_can_be_caught_generically() -> None:
    with pytest.raises(LookupError):
        tr.get_policy("atlantis")


def test_chain_of_xiamen() -> None:
    """Seed 000 places Xiamen in Fujian (福建省厦门市总工会); the national layer is above both."""
    assert [p.id for p in tr.chain("xiamen")] == ["xiamen", "fujian", "cn"]
    assert [p.id for p in tr.chain("cn")] == ["cn"]
    with pytest.raises(tr.UnknownJurisdiction):
        tr.chain("atlantis")


def test_programs_of_the_seed_layers() -> None:
    """The digest's program ids: cn.caring_employer_award, cn.caring_employer_provincial_match,
    xiamen.construction_subsidy, xiamen.operating_subsidy."""
    cn = {p.id: p for p in tr.get_policy("cn").programs}
    xm = {p.id: p for p in tr.get_policy("xiamen").programs}
    assert {"cn.caring_employer_award", "cn.caring_employer_provincial_match"} <= set(cn)
    assert {"xiamen.construction_subsidy", "xiamen.operating_subsidy"} == set(xm)
    assert cn["cn.caring_employer_award"].kind == "entitlement"
    assert cn["cn.caring_employer_provincial_match"].kind == "obligation"
    assert cn["cn.caring_employer_provincial_match"].matches == "cn.caring_employer_award"
    assert xm["xiamen.construction_subsidy"].basis == "one_time"
    assert xm["xiamen.operating_subsidy"].basis == "per_year"
    assert tr.get_policy("xiamen").program("xiamen.operating_subsidy") is xm["xiamen.operating_subsidy"]
    with pytest.raises(tr.UnknownProgram, match=r"xiamen\.construction_subsidy"):
        tr.get_policy("xiamen").program("xiamen.nope")


def test_payers_are_namespaced_by_jurisdiction() -> None:
    """Contract payer ids: ``cn.acftu``, ``fujian.union``, ``xiamen.union``."""
    assert "cn.acftu" in tr.get_policy("cn").payers
    assert "fujian.union" in tr.get_policy("fujian").payers
    assert "xiamen.union" in tr.get_policy("xiamen").payers


def test_designations_are_found_by_id() -> None:
    policy, spec = find_designation("cn.caring_employer")
    assert policy.id == "cn"
    assert spec.program == "cn.caring_employer_award"
    assert "cn.caring_employer" in known_designations()
    with pytest.raises(tr.UnknownProgram, match=r"unknown designation 'cn\.nope'"):
        find_designation("cn.nope")


def test_designation_range_by_batch() -> None:
    """2022: exactly 100,000 (seed 000); 2023: at least 150,000; 2024: not stated; 2021: no batch."""
    cn = tr.get_policy("cn")
    assert cn.designation_range("cn.caring_employer", 2022) == tr.AmountRange.of("100000", "100000")
    assert cn.designation_range("cn.caring_employer", 2023) == tr.AmountRange.of("150000", None)
    assert cn.designation_range("cn.caring_employer", 2024) is None
    assert cn.designation_range("cn.caring_employer", 2021) is None
    assert cn.designation_range("cn.nope", 2022) is None
