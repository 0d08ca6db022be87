"""Input models: Facility and Designation, immutable and fully validated (contract, "Input")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from strategies import facilities, facility_data


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "places": 30, "enrolled": 20}
    data.update(changes)
    return data


def locs(exc: ValidationError) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in exc.errors()]


# -- Facility ---------------------------------------------------------------------------------------------


def test_facility_from_plain_json_data() -> None:
    """Contract: "``tr.Facility.model_validate(dict)`` accepts plain JSON data", defaults as documented."""
    f = tr.Facility.model_validate(base(self_built=True))
    assert (f.jurisdiction, f.mode, f.self_built, f.places, f.enrolled) == ("xiamen", "self_run", True, 30, 20)
    assert f.embedded is False
    assert f.designations == ()
    assert f.full_day is None
    assert f.first_intake is None
    assert f.staff_puhui_fees is None
    assert f.classes is None


def test_facility_from_json_text_with_designations() -> None:
    text = (
        '{"jurisdiction": "xiamen", "mode": "joint_run", "places": 10, "enrolled": 10,'
        ' "designations": [{"program": "cn.caring_employer", "year": 2022, "amount": "100000"}]}'
    )
    f = tr.Facility.model_validate_json(text)
    assert f.designations == (tr.Designation("cn.caring_employer", 2022, Decimal("100000")),)
    assert f.designation("cn.caring_employer") is not None
    assert f.designation("weifang.caring_employer") is None


@pytest.mark.parametrize("typo", ["place", "enroled", "self_build", "modes", "Jurisdiction"])
def test_unknown_keys_are_rejected(typo: str) -> None:
    """Contract: "Unknown keys are rejected (a typo such as ``place`` must not be ignored silently)"."""
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(base(**{typo: 1}))
    assert (typo,) in locs(info.value)
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_enrolled_more_than_places_is_refused() -> None:
    """Contract: "``enrolled: int`` (>= 0, at most ``places``)"."""
    with pytest.raises(ValidationError, match=r"enrolled \(31\) is more than places \(30\)") as info:
        tr.Facility.model_validate(base(enrolled=31))
    assert ("enrolled",) in locs(info.value)
    assert tr.Facility.model_validate(base(enrolled=30)).enrolled == 30


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("places", -1),
        ("enrolled", -1),
        ("places", 1.0),
        ("places", "30"),
        ("places", True),
        ("self_built", "yes"),
        ("self_built", 1),
        ("embedded", "true"),
        ("full_day", 0),
        ("first_intake", -5),
    ],
)
def test_counts_and_flags_are_strict(field: str, value: object) -> None:
    """Nothing is guessed: a count must be a whole number 0 or more, a flag a real boolean."""
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(base(**{field: value}))
    assert (field,) in locs(info.value)


@pytest.mark.parametrize("mode", tr.MODES)
def test_each_mode_of_the_closed_set_is_accepted(mode: str) -> None:
    assert tr.Facility.model_validate(base(mode=mode)).mode == mode


def test_modes_are_exactly_the_seven_of_the_digest() -> None:
    """Digest: "Operating modes are a closed enum of the seven identifiers above plus the ``self_built`` flag"."""
    assert set(tr.MODES) == {
        "self_run",
        "joint_run",
        "third_party",
        "purchased_places",
        "park_shared",
        "community_co_built",
        "union_venue",
    }


@pytest.mark.parametrize("mode", ["self_built", "SELF_RUN", "自办", "", "public"])
def test_a_mode_outside_the_set_is_refused(mode: str) -> None:
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(base(mode=mode))
    assert ("mode",) in locs(info.value)


@pytest.mark.parametrize(("jid", "level"), [("fujian", "province"), ("cn", "national")])
def test_a_province_or_the_nation_is_not_where_a_facility_is(jid: str, level: str) -> None:
    """Contract: "a city or district id (a province or ``cn`` is an error)"."""
    with pytest.raises(ValidationError, match=f"'{jid}' is a {level} jurisdiction") as info:
        tr.Facility.model_validate(base(jurisdiction=jid))
    assert ("jurisdiction",) in locs(info.value)


def test_an_unknown_jurisdiction_lists_the_known_ids() -> None:
    with pytest.raises(ValidationError, match="unknown jurisdiction 'atlantis'; known ids: ") as info:
        tr.Facility.model_validate(base(jurisdiction="atlantis"))
    message = str(info.value)
    for known in ("cn", "fujian", "xiamen"):
        assert known in message
    assert ("jurisdiction",) in locs(info.value)


def test_facility_is_frozen() -> None:
    f = tr.Facility.model_validate(base())
    with pytest.raises(ValidationError):
        f.places = 40  # type: ignore[misc]
    with pytest.raises(ValidationError):
        f.jurisdiction = "fujian"  # type: ignore[misc]
    assert hash(f) == hash(tr.Facility.model_validate(base()))


def test_refinement_counts_fit_inside_enrolled_and_places() -> None:
    with pytest.raises(ValidationError, match=r"more than (places|enrolled)"):
        tr.Facility.model_validate(base(enrolled=30, classes=[20, 11]))
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(base(classes=[0, 5]))
    assert ("classes", 0) in locs(info.value)
    with pytest.raises(ValidationError, match=r"staff_children \(21\) is more than enrolled \(20\)"):
        tr.Facility.model_validate(base(staff_children=21))
    with pytest.raises(ValidationError, match="full_day_enrolled"):
        tr.Facility.model_validate(base(full_day_enrolled=21))


def test_children_in_classes_cannot_exceed_enrolled() -> None:
    """``classes`` is "Children in each class (班)": they are enrolled children, so their sum is at most
    ``enrolled``; contradictory input must be refused, not assessed."""
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(base(places=40, enrolled=5, classes=[10, 10]))
    assert ("classes",) in locs(info.value)


def test_a_designation_given_twice_is_refused() -> None:
    twice = [{"program": "cn.caring_employer", "year": 2022}, {"program": "cn.caring_employer", "year": 2023}]
    with pytest.raises(ValidationError, match="given twice"):
        tr.Facility.model_validate(base(designations=twice))


# -- Designation ------------------------------------------------------------------------------------------


def test_designation_positional_construction() -> None:
    """Contract: ``tr.Designation(program: str, year: int, amount: Decimal | None = None)``."""
    d = tr.Designation("cn.caring_employer", 2022)
    assert (d.program, d.year, d.amount) == ("cn.caring_employer", 2022, None)
    assert tr.Designation(program="cn.caring_employer", year=2022) == d
    assert tr.Designation.model_validate({"program": "cn.caring_employer", "year": 2022}) == d


def test_designation_missing_arguments_are_validation_errors() -> None:
    with pytest.raises(ValidationError) as info:
        tr.Designation("cn.caring_employer")
    assert locs(info.value) == [("year",)]
    with pytest.raises(ValidationError) as info:
        tr.Designation()
    assert set(locs(info.value)) == {("program",), ("year",)}


def test_an_out_of_range_designation_amount_is_located_at_amount() -> None:
    """Contract: bad input raises a ValidationError "that names the offending field"; for JSON callers
    (the CLI, other systems) the field is the error's location."""
    with pytest.raises(ValidationError) as info:
        tr.Designation("cn.caring_employer", 2022, "90000")
    assert ("amount",) in locs(info.value)


def test_an_unknown_designation_id_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValidationError, match=r"unknown designation 'cn\.caring_employers'") as info:
        tr.Designation("cn.caring_employers", 2022)
    assert ("program",) in locs(info.value)
    assert "cn.caring_employer" in str(info.value)
    with pytest.raises(ValidationError, match="unknown designation"):
        tr.Designation("atlantis.award", 2022)


def test_2022_national_award_amount_is_exactly_100000() -> None:
    """Seed 000: "以每个用人单位10万元的标准为全国爱心托育用人单位提供资金补助" (2022 list): a pinned amount
    must be exactly 100,000."""
    assert tr.Designation("cn.caring_employer", 2022, "100000").amount == Decimal("100000.00")
    assert tr.Designation("cn.caring_employer", 2022, 100000).amount == Decimal("100000.00")
    for wrong in ("90000", "100000.01", "150000"):
        with pytest.raises(ValidationError, match="a pinned amount must lie inside the programme's range") as info:
            tr.Designation("cn.caring_employer", 2022, wrong)
        assert "amount" in str(info.value)


def test_2023_national_award_amount_is_at_least_150000() -> None:
    """Guangming Daily 2024-04-04 (2023 batch): ACFTU and provincial union together "at least 150,000"."""
    assert tr.Designation("cn.caring_employer", 2023, "200000").amount == Decimal("200000.00")
    assert tr.Designation("cn.caring_employer", 2023, "150000").amount == Decimal("150000.00")
    with pytest.raises(ValidationError, match=r"at least 150000\.00"):
        tr.Designation("cn.caring_employer", 2023, "149999.99")


def test_2024_national_award_amount_is_free_because_no_source_states_it() -> None:
    """Inner Mongolia Daily 2025-03-28: 2024 batch, per-unit amount not stated: the caller may supply any."""
    assert tr.Designation("cn.caring_employer", 2024, "60000").amount == Decimal("60000.00")


@pytest.mark.parametrize("year", [True, False, "2022", 2022.0, 1948, 2101])
def test_bad_years_are_refused(year: object) -> None:
    with pytest.raises(ValidationError) as info:
        tr.Designation("cn.caring_employer", year)  # type: ignore[arg-type]
    assert ("year",) in locs(info.value)


@pytest.mark.parametrize("amount", [100000.0, True, "-1", "100000.001", "NaN"])
def test_bad_designation_amounts_are_refused_naming_amount(amount: object) -> None:
    with pytest.raises(ValidationError) as info:
        tr.Designation("cn.caring_employer", 2022, amount)  # type: ignore[arg-type]
    assert ("amount",) in locs(info.value)


def test_designation_is_frozen_and_rejects_unknown_keys() -> None:
    d = tr.Designation("cn.caring_employer", 2022)
    with pytest.raises(ValidationError):
        d.year = 2023  # type: ignore[misc]
    with pytest.raises(ValidationError) as info:
        tr.Designation.model_validate({"program": "cn.caring_employer", "year": 2022, "amt": "1"})
    assert ("amt",) in locs(info.value)


# -- properties ---------------------------------------------------------------------------------------------


@given(facility_data())
def test_any_valid_facility_data_round_trips_through_json(data: dict[str, Any]) -> None:
    f = tr.Facility.model_validate(data)
    assert tr.Facility.model_validate_json(f.model_dump_json()) == f
    assert tr.Facility.model_validate(f.model_dump(mode="json")) == f


@given(facilities())
def test_every_drawn_facility_is_in_a_city_or_district(f: tr.Facility) -> None:
    assert tr.get_policy(f.jurisdiction).level in ("city", "district")
    assert 0 <= f.enrolled <= f.places


@given(facility_data(), st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
def test_any_unknown_key_is_rejected(data: dict[str, Any], key: str) -> None:
    """Contract: "Unknown keys are rejected"; whatever the key, as long as it is not a field."""
    assume(key not in tr.Facility.model_fields)
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate({**data, key: 1})
    assert (key,) in locs(info.value)


@given(facility_data(), st.integers(min_value=1, max_value=50))
def test_enrolled_above_places_is_always_refused(data: dict[str, Any], extra: int) -> None:
    bad = {**data, "enrolled": data["places"] + extra, "classes": None}
    bad.update(full_day_enrolled=None, staff_children=None, first_intake=None)
    with pytest.raises(ValidationError, match="enrolled must be <= places"):
        tr.Facility.model_validate(bad)
