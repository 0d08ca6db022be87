"""The public surface of ``/work/shared/api-contract.md``: names, types and meanings that must keep working.

Acceptance tests outside the repository call these names; a failure here is a broken promise to them.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from decimal import Decimal

import pytest

import tuoyu_rules as tr

CONTRACT_IDS = (
    "cn",
    "xiamen",
    "weifang",
    "hangzhou",
    "qianan",
    "chengdu",
    "nanning",
    "fujian",
    "shandong",
    "zhejiang",
    "hebei",
    "sichuan",
    "guangxi",
)
DESIGNATION_IDS = (
    "cn.caring_employer",
    "weifang.caring_employer",
    "hangzhou.puhui",
    "hangzhou.demonstration",
    "qianan.caring_unit",
    "chengdu.demonstration_site",
)
PROGRAM_IDS = {
    "cn": ("cn.caring_employer_award", "cn.caring_employer_provincial_match"),
    "xiamen": ("xiamen.construction_subsidy", "xiamen.operating_subsidy"),
    "weifang": ("weifang.caring_employer_award", "weifang.county_match"),
    "hangzhou": (
        "hangzhou.puhui_subsidy",
        "hangzhou.demonstration_award",
        "hangzhou.alliance_price",
        "hangzhou.health_guidance",
    ),
    "qianan": ("qianan.caring_unit_subsidy", "qianan.union_funds_allowed"),
    "chengdu": (
        "chengdu.demonstration_subsidy",
        "chengdu.price_cap",
        "chengdu.registration",
        "chengdu.targets",
        "chengdu.union_fund_rules",
    ),
}


@pytest.mark.parametrize(
    "name",
    [
        "list_jurisdictions",
        "get_policy",
        "UnknownJurisdiction",
        "TuoyuError",
        "Policy",
        "Facility",
        "Designation",
        "assess",
        "Assessment",
        "Entitlement",
        "Obligation",
        "Citation",
    ],
)
def test_core_names_are_importable_from_the_top_level(name: str) -> None:
    assert hasattr(tr, name)
    assert name in tr.__all__


def test_package_is_typed() -> None:
    """Contract: "typed (``py.typed``)"."""
    from importlib import resources

    assert resources.files("tuoyu_rules").joinpath("py.typed").is_file()


def test_contract_jurisdictions_are_registered() -> None:
    assert set(CONTRACT_IDS) <= set(tr.list_jurisdictions())


@pytest.mark.parametrize(("jid", "ids"), sorted(PROGRAM_IDS.items()))
def test_contract_program_ids_exist(jid: str, ids: tuple[str, ...]) -> None:
    """Contract: ``programs``: "a tuple of objects with ``id`` (a program id from ``policy-digest.md``) and
    ``citations``"."""
    policy = tr.get_policy(jid)
    assert isinstance(policy.programs, tuple)
    present = {p.id: p for p in policy.programs}
    for pid in ids:
        assert pid in present, f"{pid} missing from {jid}"
        assert present[pid].citations


@pytest.mark.parametrize("did", DESIGNATION_IDS)
def test_contract_designation_ids_are_accepted(did: str) -> None:
    """Contract: "``program`` is a designation id: ``cn.caring_employer``, ``weifang.caring_employer``, ..."."""
    assert tr.Designation(did, 2023).program == did


def test_unknown_jurisdiction_is_a_tuoyu_error_and_a_lookup_error() -> None:
    assert issubclass(tr.UnknownJurisdiction, tr.TuoyuError)
    assert issubclass(tr.UnknownJurisdiction, LookupError)


def test_assess_signature() -> None:
    """Contract: ``tr.assess(facility, *, jurisdiction: str | None = None, on: date) -> Assessment``."""
    params = inspect.signature(tr.assess).parameters
    assert next(iter(params)) == "facility"
    assert params["jurisdiction"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["jurisdiction"].default is None
    assert params["on"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["on"].default is inspect.Parameter.empty


def test_assessment_shape_matches_the_contract() -> None:
    """Every entitlement has program, status, payer, basis, amount (low/high), reasons, citations, missing;
    every obligation also has matches and ratio; citations have source, clause and quote."""
    f = tr.Facility(
        jurisdiction="xiamen",
        mode="self_run",
        self_built=True,
        places=30,
        enrolled=20,
        designations=(tr.Designation("cn.caring_employer", 2022),),
    )
    a = tr.assess(f, on=dt.date(2024, 6, 1))
    assert isinstance(a, tr.Assessment)
    assert isinstance(a.entitlements, tuple)
    assert isinstance(a.obligations, tuple)
    for e in a.entitlements:
        assert e.status in ("eligible", "ineligible", "undetermined")
        assert e.basis in ("one_time", "per_year", "per_month", "per_child_month")
        assert e.payer.split(".")[0] in tr.list_jurisdictions()
        assert isinstance(e.amount.low, Decimal)
        assert e.amount.high is None or isinstance(e.amount.high, Decimal)
        assert isinstance(e.reasons, tuple)
        assert isinstance(e.missing, tuple)
        assert e.citations
        for c in e.citations:
            assert c.source
            assert c.clause
            assert c.quote is None or c.quote
    assert a.obligations
    for o in a.obligations:
        assert isinstance(o.ratio, Decimal)
        assert o.matches
        assert o.payer


def test_json_dump_is_plain_json_with_two_decimal_strings() -> None:
    f = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    dumped = tr.assess(f, on=dt.date(2024, 6, 1)).model_dump(mode="json")
    assert json.loads(json.dumps(dumped, ensure_ascii=False)) == dumped
    construction = next(e for e in dumped["entitlements"] if e["program"] == "xiamen.construction_subsidy")
    assert construction["amount"]["low"] == "50000.00"
    assert construction["amount"]["high"] == "100000.00"


@pytest.mark.parametrize("name", ["childcare_allowance", "parent_fee"])
def test_family_functions_are_public(name: str) -> None:
    """Contract, "Families and parents": ``tr.childcare_allowance`` and ``tr.parent_fee``."""
    assert callable(getattr(tr, name, None)), f"tr.{name} is part of the public contract"


@pytest.mark.parametrize(
    ("birth", "months", "total"),
    [
        (dt.date(2022, 1, 10), 1, "300"),
        (dt.date(2022, 12, 10), 12, "3600"),
        (dt.date(2023, 1, 10), 13, "3900"),
        (dt.date(2023, 12, 10), 24, "7200"),
        (dt.date(2024, 1, 10), 25, "7500"),
        (dt.date(2025, 3, 1), 36, "10800"),
    ],
)
def test_childcare_allowance_shape_and_the_nhc_table(birth: dt.date, months: int, total: str) -> None:
    """Digest, ``cn.childcare_allowance``: "NHC table: born 2022-01 -> 300; 2022-12 -> 3,600; 2023-01 -> 3,900;
    2023-12 -> 7,200; 2024-01 -> 7,500"; "born 2025 or later: 36 months = 10,800"."""
    allowance = tr.childcare_allowance(birth)
    assert isinstance(allowance.months, int)
    assert allowance.months == months
    assert allowance.total == Decimal(total)


def test_parent_fee_shape() -> None:
    """Contract: ``fee`` rounded to the fen, ``net`` after the allowance, ``within_cap``. Qian'an's 万嘉: 85% of
    the market price; 鑫达: an employer allowance of 200 a month."""
    quote = tr.parent_fee(Decimal("2000"), share=Decimal("0.85"), allowance_monthly=200, cap=Decimal("1800"))
    assert quote.fee == Decimal("1700.00")
    assert quote.net == Decimal("1500.00")
    assert quote.within_cap is True
    assert tr.parent_fee(Decimal("2000")).within_cap is True
    with pytest.raises(tr.TuoyuError, match="share"):
        tr.parent_fee(Decimal("2000"), share=Decimal("0.5"), flat=Decimal("800"))
