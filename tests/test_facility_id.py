"""``Facility.id`` (issue 15): the caller's key, never read by a rule, carried into every result, batch row and export.

The finding: adding an ``id`` to a facility failed ("Extra inputs are not permitted") and a CSV with a
``facility_id`` column was refused, so a grants system could not match a result to its own record.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.batch import RowError as BatchRowError
from tuoyu_rules.core import registry

ON = dt.date(2024, 6, 1)


def data(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30}
    return {**base, "enrolled": 20, "designations": [{"program": "cn.caring_employer", "year": 2022}], **extra}


def facility(**extra: Any) -> tr.Facility:
    return tr.Facility.model_validate(data(**extra))


# -- the field --------------------------------------------------------------------------------------------------


def test_an_id_is_accepted_and_carried_into_the_result() -> None:
    a = tr.assess(facility(id="UNION-2024-0042"), on=ON)
    assert a.facility.id == "UNION-2024-0042"
    assert a.model_dump(mode="json")["facility"]["id"] == "UNION-2024-0042"
    assert facility().id is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("", "1 to 200 characters"),
        ("x" * 201, "at most 200"),
        ("A\n1", "U+000A"),
        ("A\r1", "U+000D"),
        ("A\x001", "U+0000"),
        ("A\x1b[31m", "U+001B"),
        ("A\u20281", "U+2028"),
        (42, "string"),
        (True, "string"),
        (["A"], "string"),
    ],
)
def test_a_bad_id_is_refused_naming_the_field(bad: object, words: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        facility(id=bad)
    (error,) = info.value.errors()
    assert error["loc"] == ("id",)
    assert words in error["msg"]


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=200,
    )
)
def test_any_printable_key_is_kept_as_given(key: str) -> None:
    assert facility(id=key).id == key


@given(st.text(min_size=1, max_size=5).map(lambda t: t + "\n"))
def test_a_key_with_a_control_character_is_always_refused(key: str) -> None:
    assert any(unicodedata.category(c) == "Cc" for c in key)
    with pytest.raises(pydantic.ValidationError):
        facility(id=key)


# -- no rule reads it -------------------------------------------------------------------------------------------


@given(key=st.one_of(st.none(), st.text(alphabet="ABCXYZ-0123456789", min_size=1, max_size=30)))
def test_the_id_changes_nothing_but_the_facility_it_carries(key: str | None) -> None:
    plain = tr.assess(facility(), on=ON).model_dump(mode="json")
    keyed = tr.assess(facility(id=key), on=ON).model_dump(mode="json")
    assert keyed.pop("facility")["id"] == key
    plain.pop("facility")
    assert keyed == plain


def _spy(ctx: tr.RuleContext) -> tr.Outcome:
    return ctx.eligible(tr.AmountRange.exactly("1000"), f"the rule saw id {ctx.facility.id!r}")


@pytest.fixture
def spyville(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    grant = {"name_zh": "补助", "name_en": "Grant", "basis": "one_time"}
    policy = plugin_data("spyville", code="359700", programs={"spyville.grant": grant})
    serve_plugins(
        monkeypatch,
        spyville=lambda: tr.build_policy(policy, {"spyville.grant": _spy}, origin="test:spyville"),
    )
    yield
    registry._reset()


@pytest.mark.usefixtures("spyville")
def test_a_rule_never_sees_the_id() -> None:
    """Even a plugin rule that looks finds none: the engine hides the key from the rules (the result keeps it)."""
    a = tr.assess(facility(jurisdiction="spyville", designations=[], id="SECRET-1"), on=ON)
    assert a.entitlement("spyville.grant").reasons == ("the rule saw id None",)
    assert a.facility.id == "SECRET-1"


@pytest.mark.usefixtures("spyville")
def test_the_cache_reuses_a_result_across_ids_and_each_row_keeps_its_own() -> None:
    rows = [data(jurisdiction="spyville", designations=[], id=f"F-{i}") for i in range(5)]
    cache = tr.RuleCache(on=ON)
    results = list(tr.assess_many(rows, on=ON, cache=cache))
    assert [r.facility.id for r in results] == [f"F-{i}" for i in range(5)]
    assert cache.misses == 1
    assert cache.hits == 4
    assert all(r.entitlement("spyville.grant").reasons == ("the rule saw id None",) for r in results)


def test_batch_results_equal_assess_and_carry_the_id() -> None:
    rows = [data(id=f"X{i}", places=30 + i) for i in range(4)] + [data()]
    cache = tr.RuleCache(on=ON)
    results = list(tr.assess_many(rows, on=ON, cache=cache))
    assert [r.facility.id for r in results] == ["X0", "X1", "X2", "X3", None]
    for row, result in zip(rows, results, strict=True):
        assert result == tr.assess(tr.Facility.model_validate(row), on=ON)
    lines = list(tr.assess_many(rows, on=ON, output="ndjson"))
    assert [json.loads(line)["facility"].get("id") for line in lines] == ["X0", "X1", "X2", "X3", None]
    assert lines[0] == tr.assess(tr.Facility.model_validate(rows[0]), on=ON).model_dump_json()


def test_a_bad_batch_row_names_its_own_id() -> None:
    rows: list[Any] = [
        data(id="GOOD"),
        data(id="BAD-1", places=-1),
        json.dumps(data(id="BAD-2", enrolled=99)),
        tr.Facility.model_validate(data(id="OK-3")),
        {**data(places=-1), "id": "\n"},
    ]
    out = list(tr.assess_many(rows, on=ON, on_error="yield"))
    errors = [r for r in out if isinstance(r, BatchRowError)]
    assert [(e.index, e.facility_id) for e in errors] == [(1, "BAD-1"), (2, "BAD-2"), (4, None)]
    assert out[3].facility.id == "OK-3"


# -- readers ----------------------------------------------------------------------------------------------------


def test_read_csv_takes_a_facility_id_column() -> None:
    text = (
        "facility_id,jurisdiction,mode,places,enrolled\n"
        "U-1,xiamen,self_run,30,20\n"
        ",xiamen,self_run,30,20\n"
        "U-3,xiamen,self_run,30,99\n"
        "\"U\n4\",xiamen,self_run,30,20\n"
    )
    rows = list(tr.read_csv(io.StringIO(text)))
    assert rows[0].facility is not None
    assert rows[0].facility.id == "U-1"
    assert rows[1].facility is not None
    assert rows[1].facility.id is None
    assert rows[2].problem is not None
    assert rows[2].problem.facility_id == "U-3"
    assert rows[3].problem is not None
    assert rows[3].problem.field == "id"
    assert rows[3].problem.facility_id is None


def test_read_jsonl_takes_the_id_key() -> None:
    lines = [json.dumps(data(id="J-1")), json.dumps(data(id="J-2", places=-5))]
    first, second = tr.read_jsonl(lines)
    assert first.facility is not None
    assert first.facility.id == "J-1"
    assert second.problem is not None
    assert second.problem.facility_id == "J-2"


def test_the_reader_documents_the_column() -> None:
    from tuoyu_rules.io import readers

    assert "facility_id" in readers.CSV_COLUMNS
    assert "``facility_id``" in (readers.__doc__ or "")


def test_a_budget_names_a_bad_rows_id() -> None:
    text = "facility_id,jurisdiction,mode,places,enrolled\nU-1,xiamen,self_run,30,20\nU-2,xiamen,self_run,3,9\n"
    with pytest.raises(tr.RowError) as info:
        tr.budget(tr.read_csv(io.StringIO(text)), on=ON)
    assert info.value.facility_id == "U-2"
    assert "(U-2)" in str(info.value)
    collected = tr.budget(tr.read_csv(io.StringIO(text)), on=ON, errors="collect")
    csv_text = tr.to_csv(collected, table="row_errors")
    assert csv_text.splitlines()[0] == "row,facility_id,field,message"
    assert csv_text.splitlines()[1].startswith("3,U-2,enrolled,")


# -- exports ----------------------------------------------------------------------------------------------------


def test_every_entry_row_of_an_export_carries_the_facility_id() -> None:
    a = tr.assess(facility(id="=HYPERLINK(1)"), on=ON)
    lines = tr.to_csv(a).splitlines()
    assert lines[0].split(",")[0] == "facility_id"
    assert all(line.startswith("'=HYPERLINK(1),") for line in lines[1:])  # a key is text: made inert
    assert len(lines) == 1 + len(a.entitlements) + len(a.obligations)
    plain = tr.to_csv(tr.assess(facility(), on=ON)).splitlines()
    assert all(line.startswith(",") for line in plain[1:])
    comparison = tr.compare(facility(id="C-9"), on=ON, cities=["xiamen", "hangzhou"])
    assert all(line.startswith("C-9,") for line in tr.to_csv(comparison).splitlines()[1:])
