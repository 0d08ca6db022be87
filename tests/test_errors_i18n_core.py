"""Errors of the core's own inputs, of the families and of the compliance checks, in both languages (issue 14).

Each error a caller can cause with hostile input through a public function (a reform, JSON text, an amount range,
a pin, a result or citation read back, a parent's fee, the childcare allowance and its claims, the compliance
checks) has a code of a ``core/errors*.toml`` catalog other than ``error.invalid``; its Chinese text
(``tr.error_text(exc, "zh")``) has no Latin letter outside its parameters; its English is what it always was.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import tomllib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

import tuoyu_rules as tr
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.core import registry
from tuoyu_rules.core.error_text import error_explanations
from tuoyu_rules.core.jsonio import MAX_CHARS
from tuoyu_rules.core.jsonio import loads as loads_json
from tuoyu_rules.core.parameters import DatedValue, Ratio

LATIN = re.compile(r"[A-Za-z]")
ON = dt.date(2024, 6, 1)
OPERATING = "xiamen.operating_subsidy.amount"
"""A dated range parameter."""
AWARD = "cn.caring_employer_award.amount"
"""A parameter keyed by batch year."""
BASIS = "hangzhou.puhui_subsidy.basis"
"""A choice parameter: ``per_child_month`` or ``per_month``."""
MATCH = "cn.caring_employer_provincial_match.ratio"
"""A ratio parameter."""


def _reform(parameters: Any, **data: Any) -> tr.Reform:
    return tr.Reform.from_dict({"name": "r", "parameters": parameters, **data})


def _range(**extra: Any) -> dict[str, Any]:
    return {"kind": "range", "low": "20000", "high": "30000", **extra}


def _direct(overrides: Any, name: str = "r") -> tr.Reform:
    return tr.Reform(name=name, description="", overrides=overrides, data={})


def _facility(jurisdiction: str = "xiamen", **extra: Any) -> tr.Facility:
    data = {"jurisdiction": jurisdiction, "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
    return tr.Facility.model_validate({**data, **extra})


def _entitlement(program: str, **changes: Any) -> tr.Entitlement:
    """An entitlement of a Xiamen facility, its fields changed without validation (a hostile ``passed_on``)."""
    facility = _facility("siming", staff_children=5)
    return tr.assess(facility, on=ON).entitlement(program).model_copy(update=changes)


def _entitlement_data(**changes: Any) -> dict[str, Any]:
    data = tr.assess(_facility("siming", staff_children=5), on=ON).entitlement("xiamen.siming_allowance")
    return {**data.model_dump(mode="json"), **changes}


def _citation(**changes: Any) -> tr.Citation:
    data = {"id": "x.y", "source": "s", "title": "t", "clause": "c", "confidence": "official"}
    return tr.Citation.model_validate({**data, **changes})


def _unreadable_file(tmp: Path) -> Path:
    path = tmp / "reform.json"
    path.write_bytes(b"\xff\xfe{}")
    return path


CASES: dict[str, tuple[Callable[..., Any], str, str]] = {
    # -- reforms ---------------------------------------------------------------------------------------------------
    "reform name": (
        lambda: _reform({OPERATING: [_range()]}, name=" "),
        "error.reform.name",
        "reform.name: a non-empty name, shown in every result it changes",
    ),
    "reform name, built directly": (
        lambda: _direct({}, name=""),
        "error.reform.name",
        "reform.name: a non-empty name, shown in every result it changes",
    ),
    "reform overrides": (
        lambda: _direct({}),
        "error.reform.overrides",
        "reform.parameters: a mapping of parameter name to a tuple of values",
    ),
    "reform not a mapping": (
        lambda: tr.Reform.from_dict([]),  # type: ignore[arg-type]
        "error.reform.not_mapping",
        "reform: a mapping with name, description and parameters",
    ),
    "reform keys": (
        lambda: _reform({OPERATING: [_range()]}, colour=1, size=2),
        "error.reform.keys",
        "reform: unknown keys ['colour', 'size']; use name, description, description_zh, parameters",
    ),
    "reform keys of several types": (
        lambda: tr.Reform.from_dict({"name": "r", 3: 1, "x": 2}),  # type: ignore[dict-item]
        "error.reform.keys",
        "reform: unknown keys [3, 'x']; use name, description, description_zh, parameters",
    ),
    "reform description": (
        lambda: _reform({OPERATING: [_range()]}, description=5),
        "error.reform.description",
        "reform.description: text",
    ),
    "reform parameters": (
        lambda: _reform({}),
        "error.reform.parameters",
        "reform.parameters: a mapping of parameter name to a list of values",
    ),
    "reform values": (
        lambda: _reform({OPERATING: []}),
        "error.reform.values",
        f"reform.parameters[{OPERATING}]: a list of values (or one value)",
    ),
    "reform value table": (
        lambda: _reform({OPERATING: [5]}),
        "error.reform.value_table",
        f"reform.parameters[{OPERATING}][0]: a table of kind, low, high, ... as in the data files",
    ),
    "reform value": (  # a value table's problem has a code of core/errors_parameters.toml
        lambda: _reform({OPERATING: [{"kind": "range", "low": "1", "colour": "red"}]}),
        "error.parameter.keys",
        f"reform.parameters[{OPERATING}][0]: unknown keys ['colour']",
    ),
    "reform format": (
        lambda: tr.Reform.loads("{}", format="yaml"),
        "error.reform.format",
        "format: 'yaml' is not a reform format; use 'json' or 'toml'",
    ),
    "reform TOML type": (
        lambda: tr.Reform.loads(b"x", format="toml"),  # type: ignore[arg-type]
        "error.reform.text_type",
        "reform: TOML text, not a bytes",
    ),
    "reform TOML syntax": (
        lambda: tr.Reform.loads("= =", format="toml"),
        "error.reform.syntax",
        "reform: not valid TOML: Invalid statement (at line 1, column 1)",
    ),
    "reform TOML too deep": (
        lambda: tr.Reform.loads("a = " + "[" * 100_000 + "]" * 100_000, format="toml"),
        "error.reform.too_deep",
        "reform: TOML nested too deeply",
    ),
    "reform TOML number": (
        lambda: tr.Reform.loads("a = 1" + "0" * 5000, format="toml"),
        "error.reform.number",
        "reform: unreadable number: Exceeds the limit (4300 digits)",
    ),
    "reform path type": (
        lambda: tr.Reform.load(5),  # type: ignore[arg-type]
        "error.reform.path_type",
        "reform: a file path, not a int",
    ),
    "reform path missing": (
        lambda: tr.Reform.load("/nonexistent/reform.json"),
        "error.reform.unreadable",
        "reform: cannot read /nonexistent/reform.json: No such file or directory",
    ),
    "reform path with a NUL": (
        lambda: tr.Reform.load("a\x00b.json"),
        "error.reform.unreadable",
        "reform: cannot read 'a\\x00b.json': embedded null byte",
    ),
    "reform file not UTF-8": (
        lambda tmp: tr.Reform.load(_unreadable_file(tmp)),
        "error.reform.unreadable",
        "reform: cannot read '",
    ),
    "reform parameter name": (
        lambda: _reform({5: [_range()]}),
        "error.reform.parameter_name",
        "reform.parameters: parameter names are text, not int",
    ),
    "reform choice": (
        lambda: _reform({BASIS: [{"kind": "choice", "choice": "per_year"}]}),
        "error.reform.choice",
        f"reform.parameters[{BASIS}][0].choice: 'per_year' is not an option of {BASIS}: the law (or its "
        "documented reading) offers only per_child_month, per_month",
    ),
    "reform options type": (
        lambda: _reform({BASIS: [{"kind": "choice", "choice": "per_month", "options": "per_month"}]}),
        "error.reform.options_type",
        f"reform.parameters[{BASIS}][0].options: a list of the options of {BASIS} (per_child_month, per_month)",
    ),
    "reform options of the law": (
        lambda: _reform({BASIS: [{"kind": "choice", "choice": "per_month", "options": ["per_month"]}]}),
        "error.reform.options_law",
        f"reform.parameters[{BASIS}][0].options: the options of {BASIS} are the law's (per_child_month, per_month)",
    ),
    "reform values type": (
        lambda: _direct({OPERATING: ()}),
        "error.reform.values_type",
        f"reform.parameters[{OPERATING}]: a non-empty tuple of DatedValue (build reforms with Reform.from_dict or .of)",
    ),
    "reform kind": (
        lambda: _reform({OPERATING: [{"kind": "count", "count": 3}]}),
        "error.reform.kind",
        f"reform.parameters[{OPERATING}][0].kind: 'count' cannot override a 'range' parameter",
    ),
    "reform ratio": (
        lambda: _direct({MATCH: (DatedValue("ratio", Ratio(Decimal("1000"), True), None, None, 2022, (), None),)}),
        "error.parameter.ratio.outside",
        f"reform.parameters[{MATCH}][0].ratio: 1000 is outside [0, ",
    ),
    "reform everywhere alone": (
        lambda: _reform({OPERATING: [_range(), _range(start="2024-01-01")]}),
        "error.reform.everywhere_alone",
        f"reform.parameters[{OPERATING}][0]: a value with neither dates nor a batch applies on every day and to "
        "every batch: it must be the only one",
    ),
    "reform batch twice": (
        lambda: _reform({AWARD: [_range(batch=2023), _range(batch=2023)]}),
        "error.reform.batch_twice",
        f"reform.parameters[{AWARD}]: batch years [2023, 2023] repeat: one value per batch year",
    ),
    "reform dated": (
        lambda: _reform({OPERATING: [_range(batch=2023)]}),
        "error.reform.dated",
        f"reform.parameters[{OPERATING}]: {OPERATING} is dated, not keyed by batch: give start/end, not batch",
    ),
    "reform by batch": (
        lambda: _reform({AWARD: [_range(start="2024-01-01")]}),
        "error.reform.by_batch",
        f"reform.parameters[{AWARD}]: {AWARD} is keyed by batch year: give batch, not start/end",
    ),
    "reform overlap": (
        lambda: _reform({OPERATING: [_range(start="2024-01-01"), _range(start="2024-06-01", end="2024-12-31")]}),
        "error.reform.overlap",
        f"reform.parameters[{OPERATING}]: values overlap (2024-01-01 to open and 2024-06-01 to 2024-12-31): one "
        "value per day, none silently wins",
    ),
    # -- JSON text -------------------------------------------------------------------------------------------------
    "JSON not UTF-8": (lambda: tr.Reform.loads(b"\xff"), "error.json.not_utf8", "reform: not UTF-8 text (byte 0)"),  # type: ignore[arg-type]
    "JSON type": (
        lambda: tr.Reform.loads(5),  # type: ignore[arg-type]
        "error.json.type",
        "reform: expected JSON text (str or bytes), got int",
    ),
    "JSON too long": (
        lambda: tr.Reform.loads(" " * (MAX_CHARS + 1)),
        "error.json.too_long",
        "reform: longer than 10,000,000 characters, the most a document may have",
    ),
    "JSON syntax": (
        lambda: tr.Reform.loads('{"name": '),
        "error.json.syntax",
        "reform: invalid JSON at line 1 column 10: Expecting value",
    ),
    "JSON too deep": (
        lambda: tr.Reform.loads("[" * 40 + "]" * 40),
        "error.json.too_deep_at",
        "reform: nested more than 32 deep (line 1)",
    ),
    "JSON long number": (
        lambda: tr.Reform.loads("[" + "1" * 200 + "]"),
        "error.json.long_number",
        "reform: a number of 200 characters; at most 100 are read",
    ),
    "JSON constant": (
        lambda: loads_json("[NaN]", field="rows"),
        "error.json.constant",
        "rows: the constant NaN is not allowed (numbers are exact and finite)",
    ),
    "JSON key twice": (
        lambda: tr.Reform.loads('{"name": "a", "name": "b"}'),
        "error.json.key_twice",
        "reform: the key 'name' appears twice in one object; give it once",
    ),
    # -- amount ranges ---------------------------------------------------------------------------------------------
    "range low above high": (
        lambda: tr.AmountRange.of("2", "1"),
        "error.range.low_above_high",
        "low 2.00 is above high 1.00",
    ),
    "range allowed empty": (
        lambda: tr.AmountRange.of("1", "2", allowed=()),
        "error.range.allowed_empty",
        "allowed values, when given, must not be empty",
    ),
    "range allowed order": (
        lambda: tr.AmountRange.of("1", "2", allowed=("1", "3", "2")),
        "error.range.allowed_order",
        "allowed values must be strictly increasing",
    ),
    "range allowed ends": (
        lambda: tr.AmountRange.of("1", "2", allowed=("1", "3")),
        "error.range.allowed_ends",
        "allowed values must start at low and end at high",
    ),
    "range pin not one of": (
        lambda: tr.AmountRange.of("1", "3", allowed=("1", "2", "3")).pin("1.5"),
        "error.range.not_one_of",
        "amount: 1.50 is not one of 1.00, 2.00, 3.00",
    ),
    "range pin below": (
        lambda: tr.AmountRange.of("100", None).pin("1", field="x"),
        "error.range.below",
        "x: 1.00 is not at least 100.00",
    ),
    "range pin not inside": (
        lambda: tr.AmountRange.of("100", "200").pin("300"),
        "error.range.not_inside",
        "amount: 300.00 is not inside [100.00, 200.00]",
    ),
    "range factor type": (
        lambda: tr.AmountRange.of("1", "2").scale(1.5),  # type: ignore[arg-type]
        "error.range.factor_type",
        "factor: 1.5 must be an int or a Decimal, not float",
    ),
    "range factor": (
        lambda: tr.AmountRange.of("1", "2").scale(Decimal("-1")),
        "error.range.factor",
        "factor: Decimal('-1') must be a finite number, 0 or more",
    ),
    "range scaled too large": (
        lambda: tr.AmountRange.exactly("1000000000000").scale(Decimal("1.01")),
        "error.range.scaled_too_large",
        "amount: 1,000,000,000,000.00 times 1.01 is above the largest accepted amount, 1,000,000,000,000 yuan",
    ),
    "range scaled by a rule": (
        lambda: tr.assess(
            _facility("weifang", designations=[{"program": "weifang.caring_employer", "year": 2023}]),
            on=ON,
            reform=tr.Reform.of("huge")
            .set("weifang.caring_employer_award.amount", kind="range", low="1000000000000", high="1000000000000")
            .set("weifang.county_match.ratio", kind="ratio", ratio="100", exact=True)
            .build(),
        ),
        "error.range.scaled_too_large",
        "weifang.county_match matching_amount: 1,000,000,000,000.00 times 100 is above the largest accepted "
        "amount, 1,000,000,000,000 yuan",
    ),
    # -- pins ------------------------------------------------------------------------------------------------------
    "pins not a mapping": (
        lambda: tr.assess(_facility(), on=ON, pins=[1]),  # type: ignore[arg-type]
        "error.pin.not_mapping",
        "pins: a mapping of programme id to awarded amount",
    ),
    "pin not one of": (
        lambda: tr.assess(_facility(), on=ON, pins={"xiamen.construction_subsidy": "60000"}),
        "error.pin.not_one_of",
        "pins[xiamen.construction_subsidy]: 60000.00 is not one of 50000.00, 80000.00, 100000.00 "
        "(xiamen.construction_subsidy)",
    ),
    "pin not inside": (
        lambda: tr.assess(_facility("siming", staff_children=5), on=ON, pins={"xiamen.siming_allowance": "1"}),
        "error.pin.not_inside",
        "pins[xiamen.siming_allowance]: 1.00 is not inside [100.00, 100.00] (xiamen.siming_allowance)",
    ),
    "pin below": (
        lambda: tr.assess(
            _facility("hangzhou", designations=[{"program": "cn.caring_employer", "year": 2023}]),
            on=ON,
            pins={"cn.caring_employer_award": "1000"},
        ),
        "error.pin.below",
        "pins[cn.caring_employer_award]: 1000.00 is not at least 150000.00 (cn.caring_employer_award)",
    ),
    # -- results and citations read back ---------------------------------------------------------------------------
    "result owed": (
        lambda: tr.Entitlement.model_validate(_entitlement_data(owed={"low": "1", "high": "1"})),
        "error.result.owed",
        "owed must be total less received (each bound floored at 0; a paid one-time grant: 0)",
    ),
    "result children": (
        lambda: tr.Entitlement.model_validate(_entitlement_data(basis="per_month", children=5)),
        "error.result.children",
        "children is counted for a per_child_month amount only, not for a per_month one",
    ),
    "result total": (
        lambda: tr.Entitlement.model_validate(_entitlement_data(children=6)),
        "error.result.total",
        "total must be amount times children for a per_child_month amount, else the amount",
    ),
    "citation without words": (
        lambda: _citation(),
        "error.citation.no_words",
        "a citation needs the quote it rests on, or a summary when no quote was seen",
    ),
    # -- families --------------------------------------------------------------------------------------------------
    "cite id": (
        lambda: tr.parent_fee("1000", cite="nodot"),
        "error.cite.id",
        "cite: 'nodot' is not a citation id such as 'qianan.seed_merchant_children'",
    ),
    "cite jurisdiction": (
        lambda: tr.parent_fee("1000", cite="atlantis.x"),
        "error.cite.unknown_jurisdiction",
        "cite: 'atlantis.x': unknown jurisdiction 'atlantis'; known ids: ",
    ),
    "cite unknown": (
        lambda: tr.parent_fee("1000", cite="qianan.nope"),
        "error.cite.unknown",
        "cite: unknown citation 'qianan.nope'; qianan has: ",
    ),
    "share bool": (
        lambda: tr.parent_fee("1000", share=True),
        "error.share.bool",
        "share: True is a bool, not a fraction; pass a str such as '0.85' or a Decimal",
    ),
    "share float": (
        lambda: tr.parent_fee("1000", share=0.5),  # type: ignore[arg-type]
        "error.share.float",
        "share: 0.5 is a binary float, which cannot hold a fraction exactly; pass '0.85' or Decimal('0.85')",
    ),
    "share text": (
        lambda: tr.parent_fee("1000", share="half"),
        "error.share.text",
        "share: 'half' is not a number; pass a fraction such as '0.85'",
    ),
    "share type": (
        lambda: tr.parent_fee("1000", share=[1]),  # type: ignore[arg-type]
        "error.share.type",
        "share: list is not a fraction; pass a str such as '0.85' or a Decimal",
    ),
    "share not finite": (
        lambda: tr.parent_fee("1000", share=Decimal("NaN")),
        "error.share.not_finite",
        "share: Decimal('NaN') is not a finite fraction",
    ),
    "share outside": (
        lambda: tr.parent_fee("1000", share="1.5"),
        "error.share.outside",
        "share: '1.5' is outside [0, 1]: the share is a fraction of the market price",
    ),
    "share decimals": (
        lambda: tr.parent_fee("1000", share="0." + "1" * 30),
        "error.share.decimals",
        "share: '0." + "1" * 30 + "' has more than 28 decimals; give the fraction to at most that many",
    ),
    "share and flat": (
        lambda: tr.parent_fee("1000", share="0.5", flat="100"),
        "error.fee.share_and_flat",
        "share, flat: give a share of the market price or a flat fee, not both",
    ),
    "passed on type": (
        lambda: tr.family_monthly_cost("1000", passed_on=["x"]),  # type: ignore[list-item]
        "error.cost.entry_type",
        "passed_on[0]: expected an Entitlement from tr.assess(...), got str",
    ),
    "passed on not eligible": (
        lambda: tr.family_monthly_cost(
            "1000", passed_on=[_entitlement("xiamen.siming_allowance", status="ineligible")]
        ),
        "error.cost.not_eligible",
        "passed_on[0]: xiamen.siming_allowance is ineligible, not eligible: nothing to pass on",
    ),
    "passed on basis": (
        lambda: tr.family_monthly_cost("1000", passed_on=[_entitlement("xiamen.construction_subsidy")]),
        "error.cost.basis",
        "passed_on[0]: xiamen.construction_subsidy is paid one_time, not per child per month",
    ),
    "passed on range": (
        lambda: tr.family_monthly_cost(
            "1000", passed_on=[_entitlement("xiamen.siming_allowance", amount=tr.AmountRange.of("100", "200"))]
        ),
        "error.cost.range",
        "passed_on[0]: xiamen.siming_allowance is a range (100.00 – 200.00), not one amount: state the amount instead",
    ),
    "allowance birth": (
        lambda: tr.childcare_allowance("2024-01-15"),  # type: ignore[arg-type]
        "error.allowance.birth",
        "birth: '2024-01-15' is not a date; pass datetime.date (date.fromisoformat('2024-01-15'))",
    ),
    "allowance nationality": (
        lambda: tr.childcare_allowance(ON, prc_national=1),  # type: ignore[arg-type]
        "error.allowance.prc_national",
        "prc_national: 1 must be True or False",
    ),
    "allowance third birthday": (
        lambda: tr.childcare_allowance(dt.date(9998, 6, 1)),
        "error.allowance.third_birthday",
        "birth: 9998-06-01 is too late: the 3rd birthday is past the year 9999",
    ),
    "allowance last month": (
        lambda: tr.childcare_allowance(
            dt.date(9990, 6, 1),
            reform=tr.Reform.of("long").set("cn.childcare_allowance.months_to_age_3", kind="count", count=1200).build(),
        ),
        "error.allowance.last_month",
        "birth: 9990-06-01 is too late: its last allowance month is past the year 9999",
    ),
    "claims as_of type": (
        lambda: tr.childcare_allowance(ON, applied=[ON], as_of="2025-01-01"),  # type: ignore[arg-type]
        "error.claims.as_of_type",
        "as_of: '2025-01-01' is not a date; pass datetime.date",
    ),
    "claims as_of alone": (
        lambda: tr.childcare_allowance(ON, as_of=ON),
        "error.claims.as_of_alone",
        "as_of: is the day the applications are known up to: give applied as well",
    ),
    "claims applied type": (
        lambda: tr.childcare_allowance(ON, applied="2025-01-01"),  # type: ignore[arg-type]
        "error.claims.applied_type",
        "applied: '2025-01-01' is not a collection of dates; pass e.g. (date(2025, 10, 8),)",
    ),
    "claims applied day type": (
        lambda: tr.childcare_allowance(ON, applied=["2025-01-01"]),  # type: ignore[list-item]
        "error.claims.applied_day_type",
        "applied: '2025-01-01' is not a date; pass datetime.date values",
    ),
    "claims before birth": (
        lambda: tr.childcare_allowance(ON, applied=[dt.date(2024, 1, 1)]),
        "error.claims.before_birth",
        "applied: 2024-01-01 is before the birth (2024-06-01): no claim can be made then",
    ),
    "claims after as_of": (
        lambda: tr.childcare_allowance(ON, applied=[dt.date(2025, 3, 1)], as_of=dt.date(2025, 1, 1)),
        "error.claims.after_as_of",
        "applied: 2025-03-01 is after as_of (2025-01-01), the day the applications are known up to",
    ),
    "alliance placed": (
        lambda: tr.alliance_price_check("1000", "1000", own_staff_placed="yes"),  # type: ignore[arg-type]
        "error.alliance.placed",
        "own_staff_placed: 'yes' must be True, False or None",
    ),
    # -- compliance ------------------------------------------------------------------------------------------------
    "guidance start": (
        lambda: tr.check_health_guidance([], start="2024-01-01", end=ON),  # type: ignore[arg-type]
        "error.schedule.not_a_date",
        "start: '2024-01-01' is not a date (YYYY-MM-DD)",
    ),
    "guidance end before start": (
        lambda: tr.check_health_guidance([], start=ON, end=dt.date(2024, 1, 1)),
        "error.schedule.end_before_start",
        "end: 2024-01-01 is before start 2024-06-01",
    ),
    "guidance visits type": (
        lambda: tr.check_health_guidance("2024-01-01", start=dt.date(2024, 1, 1), end=ON),  # type: ignore[arg-type]
        "error.schedule.visits_type",
        "visits: must be a sequence of dates",
    ),
    "guidance too many visits": (
        lambda: tr.health_guidance_gaps([ON] * 100_001, start=dt.date(2024, 1, 1), end=ON),
        "error.schedule.too_many",
        "visits: 100001 visits is more than the 100000 accepted",
    ),
    "guidance visit type": (
        lambda: tr.check_health_guidance([dt.datetime(2024, 2, 1)], start=dt.date(2024, 1, 1), end=ON),
        "error.schedule.not_a_date",
        "visits[0]: datetime.datetime(2024, 2, 1, 0, 0) is not a date (YYYY-MM-DD)",
    ),
    "guidance visit outside": (
        lambda: tr.check_health_guidance([dt.date(2023, 2, 1)], start=dt.date(2024, 1, 1), end=ON),
        "error.schedule.outside",
        "visits[0]: 2023-02-01 lies outside the period 2024-01-01 to 2024-06-01 (health-guidance visits, "
        "每2个月至少…技术指导1次)",
    ),
    "targets on": (
        lambda: tr.chengdu_target_progress({}, city_demonstration_sites=1, on="2026-01-01"),  # type: ignore[arg-type]
        "error.schedule.not_a_date",
        "on: '2026-01-01' is not a date (YYYY-MM-DD)",
    ),
    "targets count type": (
        lambda: tr.chengdu_target_progress({}, city_demonstration_sites="10", on=ON),  # type: ignore[arg-type]
        "error.schedule.count_type",
        "city_demonstration_sites: '10' must be a whole number (int), not str",
    ),
    "targets count": (
        lambda: tr.chengdu_target_progress({"武侯区": -1}, city_demonstration_sites=1, on=ON),
        "error.schedule.count",
        "sites_by_district[武侯区]: -1 must be from 0 to 1000000000",
    ),
    "targets districts type": (
        lambda: tr.chengdu_target_progress([1], city_demonstration_sites=1, on=ON),  # type: ignore[arg-type]
        "error.schedule.sites_type",
        "sites_by_district: must be a mapping of district or county union -> pilots",
    ),
    "targets district": (
        lambda: tr.chengdu_target_progress({" ": 1}, city_demonstration_sites=1, on=ON),
        "error.schedule.district",
        "sites_by_district: ' ' is not a district or county name",
    ),
    "spending plan type": (
        lambda: tr.check_union_spending([1]),  # type: ignore[arg-type]
        "error.spending.plan_type",
        "plan: a UnionSpendingPlan or a mapping of its fields, not list",
    ),
    "standards data type": (
        lambda: tr.check_standards({"children": 3}, on=ON),  # type: ignore[arg-type]
        "error.standards.data_type",
        "data: expected a tuoyu_rules.StandardsInput, got dict",
    ),
    "standards ages": (
        lambda: tr.check_facility_standards(
            on=ON, classes=[{"kind": "small", "children": 5, "carers": 2, "youngest_months": 20, "oldest_months": 12}]
        ),
        "error.standards.ages",
        "youngest_months is above oldest_months",
    ),
    "standards family point classes": (
        lambda: tr.check_facility_standards(
            on=ON, setting="family_point", children=3, classes=[{"kind": "small", "children": 3, "carers": 1}]
        ),
        "error.standards.family_point_classes",
        "classes: a family childcare point (family_point) has no classes; give children, carers",
    ),
    "standards family point children": (
        lambda: tr.StandardsInput(setting="family_point"),
        "error.standards.family_point_children",
        "children: a family childcare point needs the number of children",
    ),
    "standards children sum": (
        lambda: tr.check_facility_standards(on=ON, children=9, classes=[{"kind": "small", "children": 5, "carers": 2}]),
        "error.standards.children_sum",
        "children: 9 differs from the sum over classes (5)",
    ),
}
"""Each site: how to reach it, its code, and its English (the whole line, or how it starts when it quotes what
Python says)."""


def _raised(call: Callable[..., Any], tmp_path: Path) -> BaseException:
    try:
        call(tmp_path) if call.__code__.co_argcount else call()
    except Exception as exc:  # the error is the point
        return exc
    raise AssertionError("no error")


def _without(text: str, values: Any) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_error_has_a_code_its_english_and_chinese_without_latin_letters(name: str, tmp_path: Path) -> None:
    call, code, english = CASES[name]
    exc = _raised(call, tmp_path)
    assert isinstance(exc, tr.TuoyuError | pydantic.ValidationError), repr(exc)
    explained = [x for x in error_explanations(exc) if x.code == code]
    assert explained, [x.code for x in error_explanations(exc)]
    first = explained[0]
    assert first.code != "error.invalid"
    if isinstance(exc, pydantic.ValidationError):
        assert next(e["msg"] for e in exc.errors() if e["type"] == code) == english
        assert first.en.endswith(english)
    else:
        assert exc.code == code
        assert tr.error_text(exc, "en") == str(exc) == first.en
        assert str(exc).startswith(english), str(exc)
        if not english.endswith((": ", "'", ", ", "[0, ", "(4300 digits)")) and name != "reform value":
            assert str(exc) == english
    zh = tr.error_text(exc, "zh")
    assert zh == first.zh or isinstance(exc, pydantic.ValidationError)
    values = [*first.params.values(), *first.params.get("field", "").split(",")]  # "share, flat": two fields
    assert not LATIN.search(_without(first.zh, values)), first.zh


def test_every_code_of_the_catalogs_is_reached() -> None:
    """Each code of ``core/errors_reforms.toml``, ``errors_families.toml`` and ``errors_compliance.toml`` is one a
    test above raises (but ``error.json.too_deep``, the decoder's last guard, and ``error.pin.outside`` and
    ``error.cite.jurisdiction``, tested below)."""
    folder = Path(tr.__file__).parent / "core"
    codes = {
        code
        for name in ("errors_reforms.toml", "errors_families.toml", "errors_compliance.toml")
        for code in tomllib.loads((folder / name).read_text(encoding="utf-8"))["messages"]
    }
    reached = {code for _, code, _ in CASES.values() if not code.startswith("error.parameter.")}  # its own test
    assert codes - reached == {"error.json.too_deep", "error.pin.outside", "error.cite.jurisdiction"}
    assert reached <= codes


# -- errors that need a made-up jurisdiction -------------------------------------------------------------------------
@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    yield lambda **factories: serve_plugins(monkeypatch, **factories)
    registry._reset()


def _grant(ctx: tr.RuleContext) -> tr.Outcome:
    return ctx.eligible(tr.AmountRange.of("5000", "6000"), "a grant")


def test_a_pin_inside_none_of_several_ranges_names_them_all(serve: Callable[..., None]) -> None:
    """A grant whose amount the law changed (1,000 to 2,000 in 2023, 5,000 to 6,000 from 2024): a pin of 1 yuan
    lies in neither, and the error names both."""
    notice = ["pinville.notice"]
    values = [
        {"kind": "range", "low": "1000", "high": "2000", "start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)},
        {"kind": "range", "low": "5000", "high": "6000", "start": dt.date(2024, 1, 1)},
    ]
    grant = {"name_zh": "补助", "name_en": "Grant", "basis": "one_time"}
    data = plugin_data("pinville", code="359600", programs={"pinville.grant": grant})
    data["parameters"] = {
        "pinville.grant.amount": {"description": "d", "values": [{**v, "cite": notice} for v in values]}
    }
    serve(pinville=lambda: tr.build_policy(data, {"pinville.grant": _grant}, origin="test:pinville"))
    with pytest.raises(tr.AmountOutsideRange) as info:
        tr.assess(_facility("pinville"), on=ON, pins={"pinville.grant": "1"})
    exc = info.value
    assert exc.code == "error.pin.outside"
    assert str(exc) == (
        "pins[pinville.grant]: 1.00 is not inside [1000.00, 2000.00] nor inside [5000.00, 6000.00] (pinville.grant)"
    )
    zh = tr.error_text(exc, "zh")
    assert zh.startswith("指定金额（pins[pinville.grant]）：指定金额1元不在项目pinville.grant的任何金额范围之内"), zh


def test_a_citation_of_a_broken_jurisdiction_names_it(serve: Callable[..., None]) -> None:
    def broken() -> tr.Policy:
        raise RuntimeError("cannot load")

    serve(brokenville=broken)
    with pytest.raises(tr.InvalidInput) as info:
        tr.parent_fee("1000", cite="brokenville.notice")
    exc = info.value
    assert exc.code == "error.cite.jurisdiction"
    assert str(exc).startswith("cite: 'brokenville.notice': ")
    assert tr.error_text(exc, "zh").startswith("依据编号（cite）：引用'brokenville.notice'所属的辖区无法读取：")


def test_a_json_error_keeps_its_code_in_a_validator_and_a_pickle() -> None:
    """A JSON error is an InvalidInput like any other: it pickles with its code and parameters."""
    with pytest.raises(tr.JsonError) as info:
        loads_json('{"a": 1, "a": 2}')
    back = pickle.loads(pickle.dumps(info.value))
    assert (back.code, dict(back.params)) == ("error.json.key_twice", {"key": "'a'"})
    assert tr.error_text(back, "zh") == "JSON：键'a'在同一对象中出现两次；每个键只能给出一次"
    assert str(back) == "JSON: the key 'a' appears twice in one object; give it once"
