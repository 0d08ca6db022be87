"""Facility standards: national class rules (secondary), family childcare points, Hangzhou's limits, area.

Every figure compared here is read back from the data files, so a test breaks if the data and the check
disagree; each docstring names the clause.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from tuoyu_rules.compliance import (
    HENAN_COLLEGE_AREA,
    HENAN_COLLEGE_MIN_AREA_PER_PLACE,
    ComplianceReport,
    check_facility_standards,
)

ON = dt.date(2024, 6, 1)
CN = "cn.facility_standard."
FAM = "cn.family_childcare_point."
HZ = "hangzhou.facility_limits"


def cn_count(name: str) -> int:
    value = tr.get_policy("cn").parameters[name].value_on(ON)
    assert value is not None
    assert isinstance(value.value, int)
    return value.value


def hz_count(name: str) -> int:
    value = tr.get_policy("hangzhou").parameters[name].value_on(ON)
    assert value is not None
    assert isinstance(value.value, int)
    return value.value


KINDS = {
    # kind: (max children, children per carer or None, a valid youngest/oldest age)
    "infant": ("infant_class", (6, 11)),
    "small": ("small_class", (12, 23)),
    "large": ("large_class", (24, 35)),
}


def one_class(**cls: Any) -> ComplianceReport:
    return check_facility_standards(on=ON, classes=[cls])


# -- figures come from the data -------------------------------------------------------------------------------


def test_the_figures_are_those_of_the_standard_in_the_data() -> None:
    """托育机构设置标准（试行）: 10/1:3, 15/1:5, 20/1:7, mixed 18 from 18 months (read from cn.toml)."""
    assert [cn_count(f"{CN}{k}.max_children") for k in ("infant_class", "small_class", "large_class")] == [10, 15, 20]
    assert [cn_count(f"{CN}{k}.children_per_carer") for k in ("infant_class", "small_class", "large_class")] == [
        3,
        5,
        7,
    ]
    assert cn_count(f"{CN}mixed_class.max_children") == 18
    assert cn_count(f"{CN}mixed_class.min_age_months") == 18


# -- class size ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["infant", "small", "large"])
def test_class_size_kept_at_the_maximum(kind: str) -> None:
    """托育机构设置标准（试行）: a class at its maximum (乳儿班10, 托小班15, 托大班20) keeps the size rule."""
    prefix, (young, old) = KINDS[kind]
    most = cn_count(f"{CN}{prefix}.max_children")
    report = one_class(kind=kind, children=most, carers=most, youngest_months=young, oldest_months=old)
    assert report.outcomes(CN + "class_size") == ("ok",)
    assert report.compliant is True
    finding = report.for_rule(CN + "class_size")[0]
    assert finding.confidence == "secondary"
    assert finding.citations[0].id == "cn.facility_standard"
    assert finding.parameters[0].name == f"{CN}{prefix}.max_children"


@pytest.mark.parametrize("kind", ["infant", "small", "large", "mixed"])
def test_class_size_broken_one_over(kind: str) -> None:
    """托育机构设置标准（试行）: one child over the class maximum breaks the size rule."""
    prefix = KINDS[kind][0] if kind != "mixed" else "mixed_class"
    most = cn_count(f"{CN}{prefix}.max_children")
    report = one_class(kind=kind, children=most + 1, carers=most + 1)
    (finding,) = report.for_rule(CN + "class_size")
    assert finding.outcome == "breach"
    assert finding.concerns == "classes[0].children"
    assert report.compliant is False


# -- carer ratio ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["infant", "small", "large"])
def test_carer_ratio_kept_exactly_at_the_ratio(kind: str) -> None:
    """托育机构设置标准（试行）: 1:3, 1:5, 1:7 exactly keep the ratio (2 carers for 6 infants)."""
    prefix, (young, old) = KINDS[kind]
    per = cn_count(f"{CN}{prefix}.children_per_carer")
    report = one_class(kind=kind, children=2 * per, carers=2, youngest_months=young, oldest_months=old)
    assert report.outcomes(CN + "carer_ratio") == ("ok",)


@pytest.mark.parametrize("kind", ["infant", "small", "large"])
def test_carer_ratio_broken_one_child_over(kind: str) -> None:
    """托育机构设置标准（试行）: one child more than the carers may look after breaks the ratio."""
    prefix, _ = KINDS[kind]
    per = cn_count(f"{CN}{prefix}.children_per_carer")
    report = one_class(kind=kind, children=2 * per + 1, carers=2)
    (finding,) = report.for_rule(CN + "carer_ratio")
    assert finding.outcome == "breach"
    assert finding.concerns == "classes[0].carers"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.class.ratio_short"
    assert finding.explanation.params["need"] == "3"
    assert "(3 carers)" in finding.message


def test_no_carers_for_children_breaks_the_ratio_and_an_empty_class_keeps_it() -> None:
    """托育机构设置标准（试行）: children with no carer break it; an empty class needs none."""
    assert one_class(kind="infant", children=1, carers=0).outcomes(CN + "carer_ratio") == ("breach",)
    assert one_class(kind="infant", children=0, carers=0).outcomes(CN + "carer_ratio") == ("ok",)


def test_mixed_class_ratio_cannot_be_checked() -> None:
    """托育机构设置标准（试行）: the sources give no carer ratio for mixed-age classes."""
    report = one_class(kind="mixed", children=10, carers=1, youngest_months=18, oldest_months=35)
    assert report.outcomes(CN + "carer_ratio") == ("cannot_check",)
    assert report.compliant is None


# -- age bands ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "young", "old", "outcome"),
    [
        ("infant", 6, 11, "ok"),
        ("infant", 5, 11, "breach"),  # under 6 months
        ("infant", 6, 12, "breach"),  # 12 months is 托小班
        ("small", 12, 23, "ok"),
        ("small", 11, 23, "breach"),
        ("small", 12, 24, "breach"),
        ("large", 24, 35, "ok"),
        ("large", 23, 35, "breach"),
        ("large", 24, 36, "breach"),  # 3 years and over is not 托育
        ("mixed", 18, 35, "ok"),
        ("mixed", 17, 35, "breach"),  # mixed classes only from 18 months
    ],
)
def test_age_bands(kind: str, young: int, old: int, outcome: str) -> None:
    """托育机构设置标准（试行）: 乳儿班 6-12, 托小班 12-24, 托大班 24-36 months (half-open), 混龄班 from 18."""
    report = one_class(kind=kind, children=1, carers=1, youngest_months=young, oldest_months=old)
    assert report.outcomes(CN + "age_band") == (outcome,)


def test_ages_not_given_cannot_be_checked() -> None:
    report = one_class(kind="small", children=5, carers=1)
    assert report.outcomes(CN + "age_band") == ("cannot_check",)
    assert report.compliant is None


def test_findings_name_each_class() -> None:
    report = check_facility_standards(
        on=ON,
        classes=[
            {"kind": "infant", "children": 6, "carers": 2, "youngest_months": 6, "oldest_months": 11},
            {"kind": "large", "children": 21, "carers": 3, "youngest_months": 24, "oldest_months": 35},
        ],
    )
    assert [f.concerns for f in report.breaches] == ["classes[1].children"]


# -- family childcare points --------------------------------------------------------------------------------------


def family(children: int, carers: int | None) -> ComplianceReport:
    return check_facility_standards(on=ON, setting="family_point", children=children, carers=carers)


def test_family_point_kept_at_five_with_two_carers() -> None:
    """家庭托育点管理办法（试行）: at most 5 infants, each carer at most 3: 5 with 2 carers keeps both."""
    assert cn_count(FAM + "max_children") == 5
    assert cn_count(FAM + "children_per_carer") == 3
    report = family(5, 2)
    assert report.outcomes(FAM + "max_children") == ("ok",)
    assert report.outcomes(FAM + "carer_ratio") == ("ok",)
    assert report.compliant is True
    assert report.findings[0].citations[0].id == "cn.family_childcare_point"


def test_family_point_broken_with_six_infants_must_register() -> None:
    """家庭托育点管理办法（试行）: more than 5 infants must register as a childcare facility."""
    report = family(6, 2)
    (finding,) = report.for_rule(FAM + "max_children")
    assert finding.outcome == "breach"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.family_point.over"
    assert "must register as a childcare facility" in finding.message


def test_family_point_ratio_broken_with_four_infants_and_one_carer() -> None:
    """家庭托育点管理办法（试行）: each carer at most 3 infants: 4 with 1 carer breaks it."""
    assert family(4, 1).outcomes(FAM + "carer_ratio") == ("breach",)
    assert family(3, 1).outcomes(FAM + "carer_ratio") == ("ok",)


def test_family_point_without_carers_cannot_check_the_ratio() -> None:
    assert family(3, None).outcomes(FAM + "carer_ratio") == ("cannot_check",)


def test_family_point_input_errors() -> None:
    with pytest.raises(ValidationError, match="classes"):
        check_facility_standards(
            on=ON, setting="family_point", children=1, classes=[{"kind": "infant", "children": 1, "carers": 1}]
        )
    with pytest.raises(ValidationError, match="children"):
        check_facility_standards(on=ON, setting="family_point", carers=1)


# -- Hangzhou's facility limits -----------------------------------------------------------------------------------


def classes(n: int, children_each: int) -> list[dict[str, Any]]:
    return [{"kind": "large", "children": children_each, "carers": 3} for _ in range(n)]


def hz(n_classes: int, children_each: int, **kw: Any) -> ComplianceReport:
    return check_facility_standards(on=ON, jurisdiction="hangzhou", classes=classes(n_classes, children_each), **kw)


def test_hangzhou_limits_read_from_the_data() -> None:
    assert hz_count(HZ + ".max_children") == 150
    assert hz_count(HZ + ".max_classes") == 10


def test_hangzhou_kept_at_both_limits() -> None:
    """Hangzhou facility measures 2022: at most 150 children or 10 classes: 150 in 10 classes keeps it."""
    report = hz(10, 15)
    (finding,) = report.for_rule(HZ)
    assert finding.outcome == "ok"
    assert finding.citations[0].id == "hangzhou.facility_limits_2022"


def test_hangzhou_broken_when_both_are_exceeded() -> None:
    """Hangzhou facility measures 2022: 11 classes of 14 (154 children) exceed both figures."""
    assert hz(11, 14).outcomes(HZ) == ("breach",)


def test_hangzhou_one_limit_exceeded_is_a_breach_when_each_limit_binds() -> None:
    """不超过150人或10个班 read as each limit binding (the default): 151 children in 10 classes breaks it."""
    report = check_facility_standards(
        on=ON, jurisdiction="hangzhou", classes=[*classes(9, 15), {"kind": "large", "children": 16, "carers": 3}]
    )
    (finding,) = report.for_rule(HZ)
    assert finding.outcome == "breach"
    assert finding.concerns == "children"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.hangzhou.children_exceeded"
    assert "either_limit" in finding.message


def test_hangzhou_one_limit_exceeded_is_a_warning_when_either_suffices() -> None:
    """The other reading ('either limit suffices'): 11 classes of 10 children is a warning, not a breach."""
    report = hz(11, 10, hangzhou_reading="either_limit")
    (finding,) = report.for_rule(HZ)
    assert finding.outcome == "warning"
    assert finding.concerns == "classes"
    assert hz(11, 10).outcomes(HZ) == ("breach",)


def test_hangzhou_limits_not_in_force_before_2022_10_03() -> None:
    report = check_facility_standards(on=dt.date(2022, 10, 2), jurisdiction="hangzhou", classes=classes(11, 14))
    assert report.outcomes(HZ) == ("not_applicable",)
    report = check_facility_standards(on=dt.date(2022, 10, 3), jurisdiction="hangzhou", classes=classes(11, 14))
    assert report.outcomes(HZ) == ("breach",)


def test_hangzhou_limits_do_not_apply_elsewhere() -> None:
    assert check_facility_standards(on=ON, jurisdiction="chengdu", classes=classes(11, 14)).for_rule(HZ) == ()
    assert check_facility_standards(on=ON, classes=classes(11, 14)).for_rule(HZ) == ()


def test_hangzhou_children_only_cannot_check_classes() -> None:
    report = check_facility_standards(on=ON, jurisdiction="hangzhou", children=100)
    assert report.outcomes(HZ) == ("cannot_check",)


def test_unknown_jurisdiction_is_an_input_error() -> None:
    with pytest.raises(tr.UnknownJurisdiction):
        check_facility_standards(on=ON, jurisdiction="atlantis")


# -- area per place -------------------------------------------------------------------------------------------------


def test_area_kept_with_the_henan_college_figure() -> None:
    """Seed 000, 河南卫生健康干部学院: 「每托位建筑面积不少于12平方米」, the caller's example minimum."""
    report = check_facility_standards(
        on=ON, places=100, building_area_m2="1200", min_area_per_place_m2=HENAN_COLLEGE_MIN_AREA_PER_PLACE
    )
    (finding,) = report.for_rule("area_per_place")
    assert finding.outcome == "ok"
    assert finding.citations == (HENAN_COLLEGE_AREA,)
    assert finding.citations[0].quote == "每托位建筑面积不少于12平方米"


def test_area_broken_just_under_the_callers_minimum() -> None:
    """A caller-supplied minimum of 12 m² per place: 1199.99 m² for 100 places breaks it."""
    report = check_facility_standards(on=ON, places=100, building_area_m2=Decimal("1199.99"), min_area_per_place_m2=12)
    assert report.outcomes("area_per_place") == ("breach",)


def test_area_without_a_minimum_cannot_be_checked_there_is_no_national_rule() -> None:
    report = check_facility_standards(on=ON, places=100, building_area_m2=1000)
    (finding,) = report.for_rule("area_per_place")
    assert finding.outcome == "cannot_check"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.area.no_minimum"
    assert "no national minimum" in finding.message


def test_henan_citation_quotes_the_seed_verbatim() -> None:
    from pathlib import Path

    seed = Path("/work/shared/seeds/000_c1cdc2b76565fa65.txt")
    if not seed.exists():
        pytest.skip("seed file not available")
    assert HENAN_COLLEGE_AREA.quote is not None
    assert HENAN_COLLEGE_AREA.quote in seed.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", [12.0, True, "-1", "0", "nan", "abc"])
def test_area_must_be_exact_and_positive(bad: object) -> None:
    with pytest.raises(ValidationError, match="min_area_per_place_m2"):
        check_facility_standards(on=ON, places=1, building_area_m2=1, min_area_per_place_m2=bad)  # type: ignore[arg-type]


# -- input errors ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        ({"kind": "baby", "children": 1, "carers": 1}, "kind"),
        ({"kind": "infant", "children": -1, "carers": 1}, "children"),
        ({"kind": "infant", "children": 1.0, "carers": 1}, "children"),
        ({"kind": "infant", "children": 1, "carers": 1, "youngest_months": 9, "oldest_months": 8}, "youngest_months"),
        ({"kind": "infant", "children": 1, "carers": 1, "extra": 1}, "extra"),
    ],
)
def test_bad_classes_raise_naming_the_field(cls: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        check_facility_standards(on=ON, classes=[cls])


def test_children_must_match_the_classes() -> None:
    with pytest.raises(ValidationError, match="children"):
        check_facility_standards(on=ON, children=5, classes=[{"kind": "infant", "children": 4, "carers": 2}])


# -- properties ------------------------------------------------------------------------------------------------------


@given(
    kind=st.sampled_from(["infant", "small", "large"]),
    children=st.integers(min_value=0, max_value=40),
    carers=st.integers(min_value=0, max_value=15),
)
def test_ratio_breach_iff_children_exceed_carers_times_ratio(kind: str, children: int, carers: int) -> None:
    """The carer-ratio finding is a breach exactly when children > carers x children per carer."""
    per = cn_count(f"{CN}{KINDS[kind][0]}.children_per_carer")
    report = one_class(kind=kind, children=children, carers=carers)
    assert report.outcomes(CN + "carer_ratio") == (("breach",) if children > carers * per else ("ok",))


def test_a_facility_without_classes_is_not_confirmed_compliant() -> None:
    """托育机构设置标准（试行）: with no classes given the class rules cannot be checked."""
    report = check_facility_standards(on=ON)
    assert report.outcomes(CN + "classes") == ("cannot_check",)
    assert report.compliant is None
