"""Hostile input: arbitrary JSON-like data through ``Facility.model_validate`` and ``assess``.

Only ``pydantic.ValidationError`` or ``tr.TuoyuError`` may escape, never a traceback from deep inside; every
accepted input gives an assessment whose amounts are exact to the fen, never negative, with low <= high, and
whose JSON dump is an instance of the published JSON Schema (``tuoyu_rules.io.schema``).
Examples are kept modest so the whole file runs in a few seconds.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import importlib
import importlib.util
import io
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
import tuoyu_rules.cli.app as cli
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


# A payer id, or a joint payer's ids joined by "+" (issue 13: cn.acftu+fujian.union).
PAYER = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_.]+(\+[a-z][a-z0-9_]*\.[a-z0-9_.]+)*\Z")
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
        for part in entry.payer.split("+"):
            assert part.split(".", 1)[0] in ids, f"{where}: payer {entry.payer!r} of no jurisdiction"
        assert entry.citations, f"{where}: no citation"
        assert entry.reasons, f"{where}: no reason"
        assert entry.program.split(".", 1)[0] in a.layers
    for o in a.obligations:
        if o.ratio is None:  # issue 13: a match stated with no ratio (2024 batch) is undetermined
            assert o.status == "undetermined", o.program
            continue
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


# -- every reader: deep JSON, huge integers, duplicate keys, formula cells, control characters ------------------
#
# Issue 18 ("Injection and lost rows", "Entry points parse the same JSON differently"): each reader of the library
# (read_csv, read_jsonl, the CLI's JSON reading for `tuoyu assess` and `tuoyu budget`, RuleCache.assess_json,
# Reform.loads) gets the same five kinds of hostile text. Each gives a clean result, or a TuoyuError /
# ValidationError naming the field or the line (a row problem naming its line and field): never another
# exception, never a traceback from the CLI.

HOSTILE_KINDS = ("deep", "huge", "duplicate", "formula", "control")
BASE = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
DEPTHS = st.one_of(st.integers(min_value=1, max_value=80), st.sampled_from([31, 32, 33, 1_000, 100_000]))
FORMULA = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "＝", "=cmd|' /c calc'!A1"]),
    st.text(max_size=10),
)
CONTROL_CHARS = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff"]
)
CONTROL = st.text(alphabet=CONTROL_CHARS | st.sampled_from("ab=1"), min_size=1, max_size=12)
TEXT_FIELDS = st.sampled_from(["name", "jurisdiction", "mode", "designations[0].program", "(key)"])
NUMBER_FIELDS = st.sampled_from(
    ["places", "enrolled", "first_intake", "designations[0].year", "designations[0].amount", "extra"]
)


def _huge_number(digits: int, sign: str, form: str) -> str:
    """A JSON number of ``digits`` digits: an integer, one with a fraction, or an exponent out of range."""
    body = "9" * digits
    return {"int": sign + body, "fraction": f"{sign}{body}.5", "exponent": f"{sign}1e{body[:7]}"}[form]


def _put(data: dict[str, Any], field: str, raw: str) -> str:
    """``data`` as JSON text with ``raw`` (JSON text, written as it is) at ``field``."""
    marker = "\x00MARK\x00"
    data = json.loads(json.dumps(data))
    if field.startswith("designations[0]."):
        designation: dict[str, Any] = {"program": "cn.caring_employer", "year": 2022}
        designation[field.split(".", 1)[1]] = marker
        data["designations"] = [designation]
    elif field == "(key)":
        data[marker] = 1
    else:
        data[field] = marker
    text = json.dumps(data, ensure_ascii=False)
    return text.replace(json.dumps(marker), raw, 1)


@st.composite
def hostile_json(draw: st.DrawFn, kind: str | None = None) -> tuple[str, str]:
    """(one line of JSON text, its kind): a facility with one hostile part."""
    kind = kind or draw(st.sampled_from(HOSTILE_KINDS))
    if kind == "deep":
        n = draw(DEPTHS)
        nest = draw(st.sampled_from(["[" * n + "]" * n, '{"a":' * n + "1" + "}" * n]))
        if draw(st.booleans()):
            return nest, kind  # the whole document
        return _put(BASE, draw(st.sampled_from(["designations", "name", "extra", "places"])), nest), kind
    if kind == "huge":
        digits = draw(st.one_of(st.integers(min_value=10, max_value=120), st.sampled_from([4_300, 4_301, 5_000])))
        number = _huge_number(
            digits, draw(st.sampled_from(["", "-"])), draw(st.sampled_from(["int", "fraction", "exponent"]))
        )
        return _put(BASE, draw(NUMBER_FIELDS), number), kind
    if kind == "duplicate":
        key = draw(st.sampled_from([*BASE, "name", "designations"]))
        again = json.dumps(draw(st.one_of(st.just(BASE.get(key)), SCALARS.filter(_json_safe))))
        text = json.dumps(BASE)
        return text[:-1] + f", {json.dumps(key)}: {again}" + "}", kind
    if kind == "formula":
        return _put(BASE, draw(TEXT_FIELDS), json.dumps(draw(FORMULA), ensure_ascii=False)), kind
    value = draw(CONTROL)
    raw = draw(st.booleans())  # raw control characters inside a JSON string are not JSON
    encoded = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if raw else json.dumps(value)
    return _put(BASE, draw(TEXT_FIELDS), encoded), kind


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (ValueError, TypeError):
        return False
    return True


def _names_where(exc: BaseException) -> None:
    """A refusal says where: the field of an InvalidInput, the location of every validation error."""
    assert isinstance(exc, EXPECTED), f"{type(exc).__name__}: {exc}"
    if isinstance(exc, pydantic.ValidationError):
        assert exc.errors(), exc
        return
    assert str(exc).strip()
    if isinstance(exc, tr.InvalidInput):
        assert exc.field, exc


def _check_row(row: Any, line: int) -> None:
    """A row read is a facility, or a problem naming its line and a field."""
    assert row.number == line
    if row.problem is None:
        assert isinstance(row.facility, tr.Facility)
        return
    assert row.facility is None
    assert row.problem.row == line
    assert row.problem.field  # the key itself, when the key is the problem (a tab, say)
    assert row.problem.message.strip()


@FAST
@given(doc=hostile_json())
def test_read_jsonl_turns_every_hostile_line_into_a_row(doc: tuple[str, str]) -> None:
    text, kind = doc
    event(kind)
    good = json.dumps(BASE)
    rows = list(tr.read_jsonl(io.StringIO(f"{good}\n{text}\n{good}\n")))
    pieces = text.split("\n")  # a raw line feed inside a string ends the line: each piece is a line of its own
    expected = [1, *(2 + i for i, piece in enumerate(pieces) if piece.strip()), 2 + len(pieces)]
    assert [r.number for r in rows] == expected
    for row, line in zip(rows, expected, strict=True):
        _check_row(row, line)
    assert rows[0].facility is not None
    assert rows[-1].facility is not None  # nothing after the hostile line is lost


@st.composite
def hostile_csv_cell(draw: st.DrawFn) -> tuple[str, str, str]:
    """(column, cell text, kind) for one CSV cell (a duplicate key is a column given twice, tested apart)."""
    kind = draw(st.sampled_from(["deep", "huge", "formula", "control"]))
    column = draw(st.sampled_from(["name", "jurisdiction", "mode", "places", "enrolled", "designations", "classes"]))
    if kind == "deep":
        n = draw(DEPTHS)
        return column, draw(st.sampled_from(["[" * n + "]" * n, "{" * n, "cn.caring_employer:" + "[" * n])), kind
    if kind == "huge":
        digits = "9" * draw(st.sampled_from([101, 4_300, 4_301, 5_000]))
        cell = {"designations": f"cn.caring_employer:{digits}", "classes": f"8;{digits}"}.get(column, digits)
        if column == "designations" and draw(st.booleans()):
            cell = f"cn.caring_employer:2022:{digits}"
        return column, cell, kind
    if kind == "formula":
        return column, draw(FORMULA), kind
    return column, draw(CONTROL), kind


CSV_BASE = {
    "jurisdiction": "xiamen",
    "mode": "self_run",
    "self_built": "true",
    "places": "30",
    "enrolled": "20",
    "name": "",
    "designations": "",
    "classes": "",
}


def _csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(CSV_BASE)
    for record in records:
        writer.writerow([record[c] for c in CSV_BASE])
    return out.getvalue()


@FAST
@given(cell=hostile_csv_cell())
def test_read_csv_turns_every_hostile_cell_into_a_row(cell: tuple[str, str, str]) -> None:
    column, text, kind = cell
    event(f"{kind} in {column}")
    document = _csv([CSV_BASE, {**CSV_BASE, column: text}, CSV_BASE])
    rows = list(tr.read_csv(io.StringIO(document, newline="")))
    _check_row(rows[0], 2)
    assert rows[0].facility is not None
    assert rows[-1].facility is not None  # nothing after the hostile record is lost
    assert 2 <= len(rows) <= 3  # a record of blanks and spaces only is skipped as a blank line
    if len(rows) == 3:
        _check_row(rows[1], 3)
        if rows[1].problem is not None:  # the column at fault (or one a cross-field rule names), or the record
            assert re.split(r"[.\[]", rows[1].problem.field)[0] in (*CSV_BASE, "(row)", "facility")
    else:
        assert not text.strip()
    breaks = len(re.findall(r"\r\n|\r|\n", text))  # a CRLF inside a quoted cell is one line break, as csv counts
    assert rows[-1].number == 4 + breaks  # numbered by the line it starts on


@FAST
@given(column=st.sampled_from(list(CSV_BASE)), control=st.sampled_from(["", "\x00", "\x1b[2J", "=A1"]))
def test_read_csv_refuses_a_column_given_twice_at_the_header(column: str, control: str) -> None:
    """The CSV form of a duplicate key: a RowError naming line 1 and the header, raised before any row."""
    header = ",".join([*CSV_BASE, column + control if control else column])
    with pytest.raises(tr.RowError) as info:
        list(tr.read_csv(io.StringIO(header + "\n", newline="")))
    assert (info.value.row, info.value.field) == (1, "header")


@PER_PLACE
@given(doc=hostile_json())
def test_tuoyu_assess_reads_every_hostile_file_in_one_line(doc: tuple[str, str], tmp_path_factory: Any) -> None:
    text, kind = doc
    event(kind)
    path = tmp_path_factory.mktemp("assess") / "facility.json"
    path.write_text(text, encoding="utf-8", newline="")
    code, out, err = _cli("assess", str(path), "--on", "2024-06-01", "--format", "json")
    if code == 0:
        assert not err
        check_invariants(tr.Assessment.model_validate_json(out), "xiamen")
        return
    assert code == 2, err
    assert err.startswith("tuoyu: error: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


@PER_PLACE
@given(doc=hostile_json(), errors=st.sampled_from(["collect", "raise"]))
def test_tuoyu_budget_reads_every_hostile_line_as_a_row(
    doc: tuple[str, str], errors: str, tmp_path_factory: Any
) -> None:
    text, kind = doc
    event(kind)
    path = tmp_path_factory.mktemp("budget") / "portfolio.jsonl"
    good = json.dumps(BASE)
    path.write_text(f"{good}\n{text}\n{good}\n", encoding="utf-8", newline="")
    code, out, err = _cli("budget", str(path), "--on", "2024-06-01", "--format", "json", "--errors", errors)
    if code == 0:
        assert not err
        data = json.loads(out)
        assert "Traceback" not in out
        assert json.dumps(data)
        return
    assert (code, errors) == (2, "raise"), err
    assert err.startswith("tuoyu: error: row 2: ")  # the line, then the field
    assert err.count("\n") == 1, err


@FAST
@given(doc=hostile_json(), as_bytes=st.booleans())
def test_rule_cache_assess_json_answers_every_hostile_line(doc: tuple[str, str], as_bytes: bool) -> None:
    text, kind = doc
    event(kind)
    try:
        result = _CACHE.assess_json(text.encode("utf-8") if as_bytes else text)
    except Exception as exc:
        _names_where(exc)
        return
    check_invariants(tr.Assessment.model_validate_json(result), "xiamen")


@st.composite
def hostile_reform(draw: st.DrawFn) -> tuple[str, str]:
    """(reform JSON text, kind): the bundled example reform with one hostile part."""
    kind = draw(st.sampled_from(HOSTILE_KINDS))
    base = '{"name": "r", "description": "d", "parameters": {"xiamen.operating_subsidy.amount": [' + "{}" + "]}}"
    value = '{"kind": "range", "low": LOW, "high": "30000"}'
    if kind == "deep":
        n = draw(DEPTHS)
        nest = "[" * n + "]" * n
        where = draw(st.sampled_from(["doc", "low", "name", "parameters"]))
        if where == "doc":
            return nest, kind
        if where == "parameters":
            return '{"name": "r", "parameters": ' + nest + "}", kind
        return base.replace("{}", value.replace("LOW", nest)) if where == "low" else base.replace('"r"', nest), kind
    if kind == "huge":
        digits = draw(st.sampled_from([20, 101, 4_300, 5_000]))
        number = _huge_number(
            digits, draw(st.sampled_from(["", "-"])), draw(st.sampled_from(["int", "fraction", "exponent"]))
        )
        return base.replace("{}", value.replace("LOW", number)), kind
    if kind == "duplicate":
        where = draw(st.sampled_from(["top", "parameter", "value"]))
        if where == "top":
            return base[:-1] + ', "name": "again"}', kind
        if where == "value":
            return base.replace("{}", value.replace("LOW", '"20000", "low": "1"')), kind
        twice = '"xiamen.operating_subsidy.amount": [], "xiamen.operating_subsidy.amount": []'
        return '{"name": "r", "parameters": {' + twice + "}}", kind
    text = draw(FORMULA) if kind == "formula" else draw(CONTROL)
    where = draw(st.sampled_from(["name", "description", "parameter", "kind", "low"]))
    encoded = json.dumps(text, ensure_ascii=False) if draw(st.booleans()) else '"' + text.replace('"', "") + '"'
    if where in ("name", "description"):
        old = {"name": '"name": "r"', "description": '"description": "d"'}[where]
        return base.replace(old, f'"{where}": {encoded}'), kind
    if where == "parameter":
        return '{"name": "r", "parameters": {' + encoded + ": []}}", kind
    low = encoded if where == "low" else '"20000"'
    return base.replace(
        "{}", value.replace("LOW", low).replace('"range"', encoded if where == "kind" else '"range"')
    ), kind


@FAST
@given(doc=hostile_reform())
def test_reform_loads_answers_every_hostile_document(doc: tuple[str, str]) -> None:
    text, kind = doc
    event(kind)
    try:
        reform = tr.Reform.loads(text)
    except Exception as exc:
        _names_where(exc)
        return
    assert tr.Reform.loads(reform.dumps()) == reform


_CACHE = tr.RuleCache(on=dt.date(2024, 6, 1))


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
