"""An OpenFisca model of the same rules, for the benchmarks only (needs ``openfisca-core``: the ``bench`` extra).

What it models, and nothing more (the programmes the performance issue names):

* ``xiamen.construction_subsidy``: 50,000-100,000 one-time, self-built and self-run facilities in Xiamen;
* ``xiamen.operating_subsidy``: 15,000-25,000 a year for self-run, joint-run, purchased places and
  third-party facilities in Xiamen (per facility: the seed's reading);
* ``hangzhou.puhui_subsidy``: 300-900 per child per month for embedded facilities in Hangzhou recognised as
  普惠 (in force until 2026-01-31 with those figures), and its monthly total for the facility, the rate times
  ``enrolled`` (as ``tr.assess`` gives it since per-child totals);
* ``cn.caring_employer_award`` by batch year (2022: 100,000; 2023: at least 150,000) and
  ``cn.caring_employer_provincial_match`` (2022 batch: at least 1:1 of the award).

The figures are read from ``tuoyu_rules``' own policy data (the same TOML files), so both models compute
from the same numbers; the eligibility logic is necessarily written again here, as OpenFisca formulas. This
model gives amounts only: no reasons, citations, payers or "missing" facts, and no input validation beyond
OpenFisca's own. It is therefore *less* work than ``tr.assess``, and the comparison is generous to OpenFisca.

OpenFisca variables of ``value_type = float`` are ``float32``: 100,000.00 survives, but a sum of fen does
not (float32 has 24 bits of mantissa: above 167,772.16 yuan the fen are lost). The benchmark reports that.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import ETERNITY, MONTH
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

import tuoyu_rules as tr

Facility = build_entity(
    key="facility",
    plural="facilities",
    label="A childcare facility for children under 3",
    is_person=True,
)


class City(Enum):
    other = "another city"
    xiamen = "Xiamen"
    hangzhou = "Hangzhou"


class Mode(Enum):
    self_run = "self_run"
    joint_run = "joint_run"
    third_party = "third_party"
    purchased_places = "purchased_places"
    park_shared = "park_shared"
    community_co_built = "community_co_built"
    union_venue = "union_venue"


# -- inputs ---------------------------------------------------------------------------------------------


class city(Variable):
    value_type = Enum
    possible_values = City
    default_value = City.other
    entity = Facility
    definition_period = ETERNITY
    label = "The facility's city"


class mode(Variable):
    value_type = Enum
    possible_values = Mode
    default_value = Mode.self_run
    entity = Facility
    definition_period = ETERNITY
    label = "Operating mode"


class self_built(Variable):
    value_type = bool
    entity = Facility
    definition_period = ETERNITY
    label = "Premises built by the employer (自建)"


class embedded(Variable):
    value_type = bool
    entity = Facility
    definition_period = ETERNITY
    label = "Embedded in an employer, park or office building (嵌入式)"


class places(Variable):
    value_type = int
    entity = Facility
    definition_period = ETERNITY
    label = "Places (托位)"


class enrolled(Variable):
    value_type = int
    entity = Facility
    definition_period = ETERNITY
    label = "Children enrolled"


class cn_caring_employer_year(Variable):
    value_type = int
    entity = Facility
    definition_period = ETERNITY
    label = "Batch year of the national caring-employer designation (0: none)"


class hangzhou_puhui_year(Variable):
    value_type = int
    entity = Facility
    definition_period = ETERNITY
    label = "Year of the Hangzhou 普惠 recognition (0: none)"


# -- formulas (periods are months; the one-time and yearly amounts are reported in the month assessed) ----


def _year(period: Any) -> int:
    return int(period.start.year)


class xiamen_construction_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).xiamen.construction
        ok = (
            (facility("city", period) == City.xiamen)
            * facility("self_built", period)
            * (facility("mode", period) == Mode.self_run)
        )
        return ok * p.low


class xiamen_construction_high(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).xiamen.construction
        return (facility("xiamen_construction_low", period) > 0) * p.high


class xiamen_operating_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).xiamen.operating
        m = facility("mode", period)
        named = (m == Mode.self_run) + (m == Mode.joint_run) + (m == Mode.purchased_places) + (m == Mode.third_party)
        return (facility("city", period) == City.xiamen) * named * p.low


class xiamen_operating_high(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).xiamen.operating
        return (facility("xiamen_operating_low", period) > 0) * p.high


class hangzhou_puhui_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH
    label = "Hangzhou 普惠 subsidy per child per month, low end"

    def formula(facility, period, parameters):
        p = parameters(period).hangzhou.puhui
        year = facility("hangzhou_puhui_year", period)
        ok = (
            (facility("city", period) == City.hangzhou)
            * facility("embedded", period)
            * (year > 0)
            * (year <= _year(period))
        )
        return ok * p.low


class hangzhou_puhui_high(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).hangzhou.puhui
        return (facility("hangzhou_puhui_low", period) > 0) * p.high


class hangzhou_puhui_total_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH
    label = "Hangzhou 普惠 subsidy for the facility's enrolled children, a month, low end (rate times enrolled)"

    def formula(facility, period, parameters):
        return facility("hangzhou_puhui_low", period) * facility("enrolled", period)


class hangzhou_puhui_total_high(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        return facility("hangzhou_puhui_high", period) * facility("enrolled", period)


class cn_award_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH

    def formula(facility, period, parameters):
        p = parameters(period).cn.award
        year = facility("cn_caring_employer_year", period)
        in_time = year <= _year(period)
        return np.select([(year == 2022) * in_time, (year == 2023) * in_time], [p.low_2022, p.low_2023], 0)


class cn_award_high(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH
    label = "National award, high end (inf: no upper bound)"

    def formula(facility, period, parameters):
        p = parameters(period).cn.award
        year = facility("cn_caring_employer_year", period)
        in_time = year <= _year(period)
        return np.select([(year == 2022) * in_time, (year == 2023) * in_time], [p.high_2022, np.inf], 0)


class cn_provincial_match_low(Variable):
    value_type = float
    entity = Facility
    definition_period = MONTH
    label = "Provincial union match of the 2022 national award, at least (no upper bound)"

    def formula(facility, period, parameters):
        p = parameters(period).cn.award
        year = facility("cn_caring_employer_year", period)
        return (year == 2022) * facility("cn_award_low", period) * p.match_ratio_2022


OUTPUTS: tuple[str, ...] = (
    "xiamen_construction_low",
    "xiamen_construction_high",
    "xiamen_operating_low",
    "xiamen_operating_high",
    "hangzhou_puhui_low",
    "hangzhou_puhui_high",
    "hangzhou_puhui_total_low",
    "hangzhou_puhui_total_high",
    "cn_award_low",
    "cn_award_high",
    "cn_provincial_match_low",
)

INPUTS: tuple[type[Variable], ...] = (
    city,
    mode,
    self_built,
    embedded,
    places,
    enrolled,
    cn_caring_employer_year,
    hangzhou_puhui_year,
)
FORMULAS: tuple[type[Variable], ...] = (
    xiamen_construction_low,
    xiamen_construction_high,
    xiamen_operating_low,
    xiamen_operating_high,
    hangzhou_puhui_low,
    hangzhou_puhui_high,
    hangzhou_puhui_total_low,
    hangzhou_puhui_total_high,
    cn_award_low,
    cn_award_high,
    cn_provincial_match_low,
)


# -- parameters, read from tuoyu_rules' data -----------------------------------------------------------------


def _range_values(policy_id: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """OpenFisca dated values (``{"2000-01-01": {"value": x}}``) for the low and high end of a range parameter."""
    param = tr.get_policy(policy_id).parameters[name]
    low: dict[str, Any] = {}
    high: dict[str, Any] = {}
    for value in param.values:
        start = (value.start or dt.date(2000, 1, 1)).isoformat()
        rng = value.value
        if isinstance(rng, tr.AmountRange):
            low[start] = {"value": float(rng.low)}
            high[start] = {"value": float(rng.high) if rng.high is not None else float("inf")}
        else:  # not stated from this date: the range stops
            low[start] = {"value": None}
            high[start] = {"value": None}
        if value.end is not None and not any(v.start and v.start > value.end for v in param.values):
            stop = (value.end + dt.timedelta(days=1)).isoformat()
            low[stop] = {"value": None}
            high[stop] = {"value": None}
    return low, high


def _batch(policy_id: str, name: str, year: int) -> Any:
    value = tr.get_policy(policy_id).parameters[name].value_for_batch(year)
    assert value is not None, (name, year)
    return value.value


def parameter_data() -> dict[str, Any]:
    xc_low, xc_high = _range_values("xiamen", "xiamen.construction_subsidy.amount")
    xo_low, xo_high = _range_values("xiamen", "xiamen.operating_subsidy.amount")
    hz_low, hz_high = _range_values("hangzhou", "hangzhou.puhui_subsidy.amount") if _has("hangzhou") else ({}, {})
    award_2022 = _batch("cn", "cn.caring_employer_award.amount", 2022)
    award_2023 = _batch("cn", "cn.caring_employer_award.amount", 2023)
    ratio_2022 = _batch("cn", "cn.caring_employer_provincial_match.ratio", 2022)
    since = "2000-01-01"
    data: dict[str, Any] = {
        "xiamen": {
            "construction": {"low": {"values": xc_low}, "high": {"values": xc_high}},
            "operating": {"low": {"values": xo_low}, "high": {"values": xo_high}},
        },
        "cn": {
            "award": {
                "low_2022": {"values": {since: {"value": float(award_2022.low)}}},
                "high_2022": {"values": {since: {"value": float(award_2022.high)}}},
                "low_2023": {"values": {since: {"value": float(award_2023.low)}}},
                "match_ratio_2022": {"values": {since: {"value": float(ratio_2022.value)}}},
            }
        },
    }
    if hz_low:
        data["hangzhou"] = {"puhui": {"low": {"values": hz_low}, "high": {"values": hz_high}}}
    else:  # Hangzhou not in the tree: a zero subsidy keeps the formulas valid
        data["hangzhou"] = {
            "puhui": {"low": {"values": {since: {"value": 0.0}}}, "high": {"values": {since: {"value": 0.0}}}}
        }
    return data


def _has(jurisdiction: str) -> bool:
    return jurisdiction in tr.list_jurisdictions()


class TuoyuBenchSystem(TaxBenefitSystem):
    """The tax-benefit system of this benchmark: one person entity (the facility), the variables above."""

    def __init__(self) -> None:
        super().__init__([Facility])
        self.parameters = ParameterNode("", data=parameter_data())
        self._parameters_at_instant_cache = {}
        for variable in (*INPUTS, *FORMULAS):
            self.add_variable(variable)


def build_system() -> TuoyuBenchSystem:
    return TuoyuBenchSystem()


# -- the JSON situation of one facility -------------------------------------------------------------------


def situation(facility: dict[str, Any], month: str) -> dict[str, Any]:
    """The OpenFisca JSON situation of one facility given as ``tr.Facility`` JSON data."""
    years = {d["program"]: int(d["year"]) for d in facility.get("designations", ())}
    jur = facility["jurisdiction"]
    values = {
        "city": jur if jur in ("xiamen", "hangzhou") else "other",
        "mode": facility["mode"],
        "self_built": bool(facility.get("self_built", False)),
        "embedded": bool(facility.get("embedded", False)),
        "places": int(facility["places"]),
        "enrolled": int(facility["enrolled"]),
        "cn_caring_employer_year": years.get("cn.caring_employer", 0),
        "hangzhou_puhui_year": years.get("hangzhou.puhui", 0),
    }
    return {"facilities": {"f": {name: {"ETERNITY": value} for name, value in values.items()}}}


def assess_one(system: TaxBenefitSystem, facility: dict[str, Any], month: str) -> dict[str, float]:
    """Build a simulation from the JSON situation and compute every output: OpenFisca's single-facility path."""
    sim = SimulationBuilder().build_from_entities(system, situation(facility, month))
    return {name: float(sim.calculate(name, month)[0]) for name in OUTPUTS}


# -- vectorised ----------------------------------------------------------------------------------------------


def assess_vectorised(system: TaxBenefitSystem, columns: dict[str, np.ndarray], month: str) -> dict[str, np.ndarray]:
    """Set input arrays on a default simulation of ``len`` facilities and compute every output (float32)."""
    n = len(columns["places"])
    sim = SimulationBuilder().build_default_simulation(system, count=n)
    for name, array in columns.items():
        sim.set_input(name, "ETERNITY", array)
    return {name: sim.calculate(name, month) for name in OUTPUTS}


def as_fen(value: float) -> int:
    """A float yuan amount as integer fen, via its shortest repr (what a caller would do)."""
    return int(Decimal(repr(value)).scaleb(2).to_integral_value())
