"""Hostile input: arbitrary JSON-like data through ``Facility.model_validate`` and ``assess``.

Only ``pydantic.ValidationError`` or ``tr.TuoyuError`` may escape, never a traceback from deep inside; every
accepted input gives an assessment whose amounts are exact to the fen, never negative, with low <= high, and
whose JSON dump is an instance of the published JSON Schema (``tuoyu_rules.io.schema``).
Examples are kept modest so the whole file runs in a few seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import importlib.util
import json
import os
import re
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.core import registry

EXAMPLES = int(os.environ.get("TUOYU_FUZZ_EXAMPLES", "60"))
"""Examples per test; a deeper hunt: ``TUOYU_FUZZ_EXAMPLES=2000 pytest tests/reliability/test_fuzz.py``."""
FAST = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
PER_PLACE = settings(FAST, max_examples=max(EXAMPLES // 4, 5))
EXPECTED = (pydantic.ValidationError, tr.TuoyuError)
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2035, 12, 31)


def _loadable() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every registered id, the city and district ids that load). A bundled jurisdiction that does not load
    fails ``test_data_integrity.py::test_every_bundled_jurisdiction_loads``; here it is left out."""
    ids = tr.list_jurisdictions()
    places: list[str] = []
    for jid in ids:
        try:
            level = tr.get_policy(jid).level
        except tr.TuoyuError:
            continue
        if level in ("city", "district"):
            places.append(jid)
    return ids, tuple(places)


ALL_IDS, PLACES = _loadable()


def _designations() -> tuple[str, ...]:
    try:
        return registry.known_designations()
    except tr.TuoyuError:
        return ("cn.caring_employer",)


DESIGNATIONS = _designations()

# -- strategies ------------------------------------------------------------------------------------------

HUGE_INTS = st.one_of(
    st.integers(min_value=2**31, max_value=2**64),
    st.integers(max_value=-(2**31)),
    st.just(10**4000).map(lambda n: n + 1),  # 4001 digits: just under Python's int-to-str limit
)
NUMBER_TEXT = st.sampled_from(
    ["NaN", "nan", "-NaN", "Infinity", "-inf", "1e3", "1E400", "0.001", "-0", "00", "1_000", "5万", " 12 ", "", "0x10"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    NUMBER_TEXT,
)
JSONISH: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4), st.tuples(inner)
    ),
    max_leaves=12,
)
DEEP = st.integers(min_value=50, max_value=400).map(lambda n: json.loads("[" * n + "]" * n))

MONEYISH = st.one_of(
    st.integers(min_value=0, max_value=200_000),
    st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False).map(str),
    st.decimals(allow_nan=True, allow_infinity=True),
    NUMBER_TEXT,
    SCALARS,
)
DESIGNATION_DICT = st.fixed_dictionaries(
    {"program": st.one_of(st.sampled_from(DESIGNATIONS), st.text(max_size=20), SCALARS)},
    optional={
        "year": st.one_of(st.integers(min_value=2015, max_value=2030), st.integers(), SCALARS),
        "amount": MONEYISH,
        "extra": JSONISH,
    },
)
COUNTS = st.one_of(st.integers(min_value=0, max_value=60), st.integers(min_value=-3, max_value=200_000), SCALARS)
FLAGS = st.one_of(st.booleans(), st.booleans(), SCALARS)


def _field(name: str) -> st.SearchStrategy[Any]:
    """Plausible-or-hostile values for one Facility field (new fields get arbitrary JSON)."""
    junk = st.one_of(JSONISH, DEEP)
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "jurisdiction": st.sampled_from(ALL_IDS) if ALL_IDS else st.text(),
        "mode": st.sampled_from(tr.MODES),
        "places": COUNTS,
        "enrolled": COUNTS,
        "first_intake": COUNTS,
        "full_day_enrolled": COUNTS,
        "staff_children": COUNTS,
        "classes": st.lists(st.integers(min_value=-1, max_value=30), max_size=5),
        "designations": st.lists(DESIGNATION_DICT, max_size=3),
        "name": st.text(max_size=30),
    }
    chosen = plausible.get(name)
    if chosen is None:
        return st.one_of(FLAGS, junk)  # the yes/no facts, and anything added later
    return st.one_of(chosen, chosen, junk)


FACILITY_DATA = st.fixed_dictionaries(
    {}, optional={name: _field(name) for name in tr.Facility.model_fields}
) | st.builds(
    lambda base, extra: {**extra, **base},
    st.fixed_dictionaries({}, optional={name: _field(name) for name in tr.Facility.model_fields}),
    st.dictionaries(st.text(max_size=10), JSONISH, max_size=3),
)


@st.composite
def valid_facilities(draw: st.DrawFn) -> dict[str, Any]:
    """Facilities that satisfy every field rule (so ``assess`` gets exercised), with optional facts."""
    places = draw(st.integers(min_value=0, max_value=300))
    enrolled = draw(st.integers(min_value=0, max_value=places))
    data: dict[str, Any] = {
        "jurisdiction": draw(st.sampled_from(PLACES)),
        "mode": draw(st.sampled_from(tr.MODES)),
        "self_built": draw(st.booleans()),
        "places": places,
        "enrolled": enrolled,
        "embedded": draw(st.booleans()),
    }
    for flag in ("full_day", "staff_puhui_fees", "registered", "filed", "union_dues_paid", "alliance_member"):
        if flag in tr.Facility.model_fields and draw(st.booleans()):
            data[flag] = draw(st.booleans())
    for count in ("first_intake", "full_day_enrolled", "staff_children"):
        if count in tr.Facility.model_fields and draw(st.booleans()):
            data[count] = draw(st.integers(min_value=0, max_value=enrolled if count != "first_intake" else places))
    if draw(st.booleans()):
        sizes = draw(st.lists(st.integers(min_value=1, max_value=25), max_size=4))
        while sum(sizes) > enrolled:  # classes count enrolled children
            sizes.pop()
        data["classes"] = sizes
    programs = draw(st.lists(st.sampled_from(DESIGNATIONS), max_size=3, unique=True))
    data["designations"] = [{"program": p, "year": draw(st.integers(min_value=2015, max_value=2030))} for p in programs]
    return data


# -- invariants ------------------------------------------------------------------------------------------


@functools.cache
def _validator(name: str) -> Any:
    """A compiled JSON Schema validator of a public model (``tr.schemas()``), or None without jsonschema."""
    if importlib.util.find_spec("jsonschema") is None:  # pragma: no cover - jsonschema is a dev dependency
        return None
    jsonschema: Any = importlib.import_module("jsonschema")  # no type stubs installed
    from tuoyu_rules.io import schema

    return jsonschema.Draft202012Validator(schema.schema(name))


def fits_schema(name: str, data: Any) -> None:
    """Published schema and model agree: a dump of an accepted value is an instance of its schema."""
    validator = _validator(name)
    if validator is not None:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{name} dump does not fit its JSON Schema: {errors[:3]}"


PAYER = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_.]+\Z")
TWO_DECIMALS = re.compile(r"\d+\.\d{2}\Z")


def _exact(value: Decimal, where: str) -> None:
    assert isinstance(value, Decimal), f"{where}: {value!r} is not a Decimal"
    assert value.is_finite(), where
    assert value.as_tuple().exponent == -2, f"{where}: {value!r} is not exact to the fen"
    assert value >= 0, f"{where}: {value} is negative"


def check_invariants(a: tr.Assessment, target: str) -> None:
    assert a.jurisdiction == target
    assert a.layers[0] == target
    ids = set(tr.list_jurisdictions())
    for entry in (*a.entitlements, *a.obligations):
        where = entry.program
        amount = entry.amount
        _exact(amount.low, f"{where}.low")
        if amount.high is not None:
            _exact(amount.high, f"{where}.high")
            assert amount.low <= amount.high, f"{where}: low {amount.low} above high {amount.high}"
        for v in amount.allowed or ():
            _exact(v, f"{where}.allowed")
            assert amount.low <= v, where
            assert amount.high is None or v <= amount.high, where
        assert entry.status in ("eligible", "ineligible", "undetermined")
        if entry.status == "ineligible":
            assert amount.low == amount.high == 0, f"{where}: ineligible with {amount}"
        if entry.status == "undetermined":
            assert entry.missing, f"{where}: undetermined without the missing facts"
        assert PAYER.match(entry.payer), f"{where}: payer {entry.payer!r}"
        assert entry.payer.split(".", 1)[0] in ids, f"{where}: payer {entry.payer!r} of no jurisdiction"
        assert entry.citations, f"{where}: no citation"
        assert entry.reasons, f"{where}: no reason"
        assert entry.program.split(".", 1)[0] in a.layers
    for o in a.obligations:
        assert isinstance(o.ratio, Decimal)
        assert o.ratio.is_finite()
        assert o.ratio >= 0
    dumped = a.model_dump(mode="json")
    json.dumps(dumped)  # plain JSON data
    fits_schema("Assessment", dumped)
    for entry in (*dumped["entitlements"], *dumped["obligations"]):
        assert TWO_DECIMALS.match(entry["amount"]["low"])
        assert entry["amount"]["high"] is None or TWO_DECIMALS.match(entry["amount"]["high"])


# -- tests -----------------------------------------------------------------------------------------------


@FAST
@given(data=FACILITY_DATA, on=st.dates(FIRST_DAY, LAST_DAY))
def test_hostile_facility_data_gives_only_expected_errors(data: dict[str, Any], on: dt.date) -> None:
    try:
        facility = tr.Facility.model_validate(data)
    except pydantic.ValidationError:
        event("refused")
        return
    event("accepted")
    fits_schema("Facility", facility.model_dump(mode="json"))
    a = tr.assess(facility, on=on)
    check_invariants(a, facility.jurisdiction)


@FAST
@given(data=st.one_of(JSONISH, DEEP, st.lists(FACILITY_DATA, max_size=2)))
def test_non_mapping_input_is_a_validation_error(data: Any) -> None:
    with pytest.raises(pydantic.ValidationError):
        tr.Facility.model_validate(data)


@FAST
@given(data=valid_facilities(), on=st.dates(FIRST_DAY, LAST_DAY))
def test_valid_facilities_assess_with_invariants_in_their_own_city(data: dict[str, Any], on: dt.date) -> None:
    facility = tr.Facility.model_validate(data)
    check_invariants(tr.assess(facility, on=on), facility.jurisdiction)


@pytest.mark.skipif(not PLACES, reason="no city or district loads")
@pytest.mark.parametrize("target", PLACES)
@PER_PLACE
@given(data=valid_facilities(), on=st.dates(FIRST_DAY, LAST_DAY))
def test_every_city_and_district_keeps_the_invariants(target: str, data: dict[str, Any], on: dt.date) -> None:
    facility = tr.Facility.model_validate(data)
    check_invariants(tr.assess(facility, jurisdiction=target, on=on), target)


@FAST
@given(
    data=valid_facilities(),
    on=st.one_of(st.dates(FIRST_DAY, LAST_DAY), JSONISH, st.datetimes()),
    jurisdiction=st.one_of(st.none(), st.sampled_from(ALL_IDS), JSONISH),
    rounding=st.one_of(st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_FLOOR"]), JSONISH),
    pins=st.one_of(
        st.none(),
        st.dictionaries(st.one_of(st.text(max_size=30), st.sampled_from(["xiamen.construction_subsidy"])), MONEYISH),
        JSONISH,
    ),
)
def test_hostile_assess_arguments_give_only_expected_errors(
    data: dict[str, Any], on: Any, jurisdiction: Any, rounding: Any, pins: Any
) -> None:
    facility = tr.Facility.model_validate(data)
    try:
        a = tr.assess(facility, jurisdiction=jurisdiction, on=on, rounding=rounding, pins=pins)
    except tr.TuoyuError:
        return
    check_invariants(a, facility.jurisdiction if jurisdiction is None else jurisdiction)


@FAST
@given(data=st.one_of(DESIGNATION_DICT, JSONISH))
def test_hostile_designations_give_only_expected_errors(data: Any) -> None:
    try:
        d = tr.Designation.model_validate(data)
    except pydantic.ValidationError:
        return
    assert d.program in DESIGNATIONS
    assert type(d.year) is int
    if d.amount is not None:
        _exact(d.amount, "amount")
    fits_schema("Designation", d.model_dump(mode="json"))


@FAST
@given(program=st.one_of(st.sampled_from(DESIGNATIONS), SCALARS), year=SCALARS, amount=MONEYISH)
def test_designation_constructor_gives_only_expected_errors(program: Any, year: Any, amount: Any) -> None:
    with contextlib.suppress(pydantic.ValidationError):
        tr.Designation(program, year, amount)


@FAST
@given(value=MONEYISH)
def test_parse_money_gives_only_money_errors(value: Any) -> None:
    try:
        parsed = tr.parse_money(value, "amount")
    except tr.MoneyError as exc:
        message = str(exc)
    else:
        _exact(parsed, "amount")
        assert parsed <= Decimal("1000000000000")
        return
    assert message.startswith("amount: ")


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    deep: Any = []
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(pydantic.ValidationError):
        tr.Facility.model_validate(
            {"jurisdiction": "xiamen", "mode": "self_run", "places": 1, "enrolled": 0, "designations": deep}
        )
