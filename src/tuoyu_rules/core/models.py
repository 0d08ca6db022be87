"""Input models: a facility and the designations its employer holds. Immutable and fully validated.

Naming rule for fields: a plural noun is a count (``places``, ``enrolled``) or a collection
(``designations``, ``classes``); a bare adjective is a yes/no fact (``embedded``, ``filed``). A fact that
only a refinement's condition needs is optional: ``None`` means "not supplied", which the rule reports in
``missing`` instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import registry
from .amounts import AmountRange
from .errors import InvalidInput, TuoyuError, pydantic_error
from .messages import Message, msg
from .money import Money
from .policy import Policy, Program
from .receipts import Receipt
from .validators import CROSS_FIELD_LIMITS as CROSS_FIELD_LIMITS
from .validators import MAX_ID_LENGTH as MAX_ID_LENGTH
from .validators import FacilityId, within_limits
from .validators import Limit as Limit
from .validators import facility_key as facility_key
from .validators import limited_amount as limited_amount

Mode = Literal[
    "self_run",
    "joint_run",
    "third_party",
    "purchased_places",
    "park_shared",
    "community_co_built",
    "union_venue",
]
"""Operating modes (办托模式), a closed set:

* ``self_run`` 自办 / 单独办 / 独立办托: the employer runs it itself;
* ``joint_run`` 联办 / 联合办托: run jointly with other employers;
* ``third_party`` 用人单位+第三方联合办 / 委托第三方运营: the employer provides premises, a qualified
  operator runs it;
* ``purchased_places`` 购买服务 / 购买学位: the employer buys places or services from an institution;
* ``park_shared`` 园区共享办 / 集中共建: shared by the employers of an industrial park or market;
* ``community_co_built`` 社区共建: co-built with a community;
* ``union_venue`` 工会阵地灵活托: flexible care in a union venue.

Whether the employer built the premises itself (自建) is the separate flag ``self_built``.
"""
MODES: tuple[str, ...] = get_args(Mode)
"""The operating modes of :data:`Mode`, in its order."""

MAX_PLACES = 1_000_000_000
"""A sanity bound on places and counts (no facility comes near it); larger input is refused, not clamped."""

Count = Annotated[int, Field(strict=True, ge=0, le=MAX_PLACES)]


class _Missing:
    """Marks an argument not given (so pydantic reports it as a missing field)."""


_MISSING = _Missing()


class Designation(BaseModel):
    """A body selected or recognised the facility's employer, or the facility (a fact, with its year).

    ``program`` is a designation id such as ``cn.caring_employer`` or ``weifang.caring_employer``;
    ``year`` picks the batch rules it falls under; ``amount``, when given, pins the awarded sum and must lie
    inside a range the programme may have for it (its batch's, or one in force from ``year`` on: see
    :func:`amount_ranges`; a period whose amounts are not published bounds nothing, so Hangzhou's successor rate
    is never checked against the old 300~900). On a day whose range does not contain it, it is not applied and
    the entry says so, as for a ``pins`` entry.

    >>> Designation("cn.caring_employer", 2022).year
    2022
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str
    year: int = Field(strict=True, ge=1949, le=2100)
    amount: Money | None = None

    def __init__(
        self,
        program: str | _Missing = _MISSING,
        year: int | _Missing = _MISSING,
        amount: int | str | Decimal | None = None,
        **extra: Any,
    ) -> None:
        # Positional construction, as the contract shows it; a missing argument is a ValidationError naming it.
        given = {"program": program, "year": year}
        super().__init__(**{k: v for k, v in given.items() if v is not _MISSING}, amount=amount, **extra)

    @field_validator("program")
    @classmethod
    def _known(cls, value: str) -> str:
        try:
            registry.find_designation(value)
        except TuoyuError as exc:
            raise pydantic_error(exc) from None
        return value

    @field_validator("amount")
    @classmethod
    def _pinned_inside(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        program, year = info.data.get("program"), info.data.get("year")
        if value is None or not isinstance(program, str) or not isinstance(year, int):
            return value  # program or year already failed; their own errors say why
        policy, spec = registry.find_designation(program)
        ranges = None if spec.amount_parameter is None else amount_ranges(policy, spec.amount_parameter, year)
        if ranges is not None and not any(r.contains(value) for r in ranges):
            raise _outside(value, ranges, spec.program, year)
        return value


def _outside(value: Decimal, ranges: tuple[AmountRange, ...], program: str, year: int) -> PydanticCustomError:
    """The error of a designation's ``amount`` that lies in none of ``ranges``, the ranges of ``program`` for
    ``year``: a code for the one range's shape (allowed values, bounds, a low bound), or for several ranges."""
    params: dict[str, object] = {"value": str(value), "program": program, "year": year}
    tail = ", the range of {program} for {year}; a pinned amount must lie inside the programme's range"
    shown = tuple(dict.fromkeys(r.describe_allowed() for r in ranges))
    if len(shown) > 1:
        return PydanticCustomError(
            "error.designation.amount_outside",
            "amount {value} is not {allowed}" + tail,
            {**params, "allowed": " nor ".join(shown)},
        )
    only = ranges[0]
    if only.allowed is not None:
        values = ", ".join(str(v) for v in only.allowed)
        return PydanticCustomError(
            "error.designation.amount_not_one_of",
            "amount {value} is not one of {values}" + tail,
            {**params, "values": values},
        )
    if only.high is None:
        return PydanticCustomError(
            "error.designation.amount_below",
            "amount {value} is not at least {low}" + tail,
            {**params, "low": str(only.low)},
        )
    bounds = {"low": str(only.low), "high": str(only.high)}
    return PydanticCustomError(
        "error.designation.amount_not_inside",
        "amount {value} is not inside [{low}, {high}]" + tail,
        {**params, **bounds},
    )


def amount_ranges(policy: Policy, parameter: str, year: int | None = None) -> tuple[AmountRange, ...] | None:
    """Every range the law gives ``parameter`` that an amount the caller gives (a pin, a designation's amount)
    may be meant for; None when nothing bounds it.

    A batch parameter: the range of batch ``year`` (every batch's without one). A dated parameter: every value
    in force on some day from 1 January of ``year`` on (every value without one), since the amount applies on
    the days assessed, not in the designation's year; a ``year`` with no value in force at its end bounds
    nothing (a designation of a year before the programme's amounts). When one of them states no amount
    (``not_stated``: a measure whose amounts are not published, such as Hangzhou's from 2026-02-01) the amount
    may be that period's, and nothing bounds it: it is never checked against another period's range. On a day
    whose range does not contain it, the engine leaves the range unpinned and says so
    (:func:`~tuoyu_rules.assess`), the same way for a pin and for a designation's amount.
    """
    param = policy.parameters[parameter]
    if param.by_batch:
        values = tuple(v for v in param.values if year is None or v.batch == year)
    else:
        if year is not None and param.value_on(dt.date(year, 12, 31)) is None:
            return None
        since = None if year is None else dt.date(year, 1, 1)
        values = tuple(v for v in param.values if since is None or v.end is None or v.end >= since)
    ranges = tuple(v.value for v in values if isinstance(v.value, AmountRange))
    return ranges if ranges and len(ranges) == len(values) else None


def pin_ranges(
    program: Program, layer: Policy, facility: Facility, amount: AmountRange
) -> tuple[AmountRange, ...] | None:
    """The ranges a pin (a ``pins`` entry) of ``program`` must lie in: :func:`amount_ranges` of its amount parameter,
    for the year of the designation the facility holds; with no amount parameter known, the range in force on the
    day (``amount``). None when no range bounds it (the pin may be meant for another day)."""
    spec = None if program.designation is None else layer.designation(program.designation)
    parameter = f"{program.id}.amount" if spec is None else spec.amount_parameter
    if parameter is None or parameter not in layer.parameters:
        return (amount,)
    held = None if program.designation is None else facility.designation(program.designation)
    return amount_ranges(layer, parameter, None if held is None else held.year)


def locate(text: str) -> tuple[Policy, Message | None]:
    """The layer a facility given as ``text`` (an id or a GB/T 2260 division code) is assessed under, and a note
    saying so when the code has no layer of its own (None otherwise).

    A city or district is where a facility is. A code below a province with no city layer (Wuhan, ``"420100"``)
    is assessed with the province and the national layer, and the note says that no city rules are encoded
    there. A province or ``cn`` given by its id (or a province by its own code) is an error.

    :raises InvalidInput: ``text`` names a province or the nation, or is a malformed or unresolved code.
    :raises UnknownJurisdiction: ``text`` is neither a registered id nor a division code.
    """
    policy = registry.get_policy(registry.resolve_jurisdiction(text))
    by_code = text not in (policy.id, policy.division_code)

    if policy.level in ("city", "district"):
        return policy, msg("core.place.no_district_rules", code=text, layer=policy.id) if by_code else None
    if policy.level == "province" and by_code:
        return policy, msg("core.place.no_city_rules", code=text, layer=policy.id)
    named = repr(text) if text == policy.id else f"{text!r} ({policy.id})"
    code = _NOT_A_PLACE.get(policy.level, "error.place.not_city")
    problem = "{named} is a {level} jurisdiction; a facility is in a city or district (e.g. 'xiamen')"
    raise InvalidInput.coded("jurisdiction", code, problem, named=named, level=policy.level)


_NOT_A_PLACE = {"province": "error.place.province", "national": "error.place.national"}
"""The code of :func:`locate`'s error, by the level of the jurisdiction named (any other: error.place.not_city)."""


def _city_or_district(value: str) -> str:
    """``value`` if it is a city or district, by id or division code (ValueError otherwise); kept as given."""
    try:
        locate(value)
    except TuoyuError as exc:
        raise pydantic_error(exc) from None
    return value


def _each_once(value: tuple[Designation, ...]) -> tuple[Designation, ...]:
    """``value`` if no programme is in it twice (ValueError otherwise)."""
    seen: set[str] = set()
    for d in value:
        if d.program in seen:
            raise PydanticCustomError(
                "error.designations.twice",
                "'{program}' is given twice; give each designation once",
                {"program": d.program},
            )
        seen.add(d.program)
    return value


CityOrDistrict = Annotated[str, AfterValidator(_city_or_district)]
"""A city or district: its jurisdiction id, or a GB/T 2260 division code at or below a registered layer (see
:func:`locate`); a province or ``cn`` is refused. Its check is part of the annotation, so a ``TypeAdapter`` of
``Facility.model_fields["jurisdiction"]`` applies it (the column checker)."""
DesignationsOnce = Annotated[tuple[Designation, ...], AfterValidator(_each_once)]
"""Designations, each programme at most once (a check carried by the annotation, as for :data:`CityOrDistrict`)."""


class Facility(BaseModel):
    """A childcare facility for children under 3 (托育机构), as the rules see it.

    >>> f = Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    >>> f.enrolled
    20
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    jurisdiction: CityOrDistrict
    """Where the facility is: a city or district id (``xiamen``) or a 6-digit GB/T 2260 division code (``"350200"``,
    or ``"420100"``, a city with no rules of its own, assessed with its province); a province or ``cn`` is an
    error. Kept as given; the assessment's ``jurisdiction`` is the resolved id."""
    mode: Mode
    self_built: StrictBool = False
    """自建: the employer built or fitted out the premises itself."""
    places: Count
    """托位: licensed capacity."""
    enrolled: Count
    """Children enrolled; at most ``places``."""
    embedded: StrictBool = False
    """嵌入式: run inside an employer, park or office building."""
    designations: DesignationsOnce = ()
    name: str | None = Field(default=None, max_length=200)
    """A label for the caller's own use; no rule reads it."""
    id: FacilityId | None = None
    """The caller's own key for the facility (a grants system's record id): 1 to 200 characters, no control
    characters. No rule reads it (the engine hides it from them); it is carried into the result
    (``Assessment.facility.id``), every batch row and every export (the CSV column ``facility_id``)."""

    # Facts that refinement conditions need; None means the caller did not supply them.
    full_day: StrictBool | None = None
    """全日托: the facility offers full-day care (Xiamen construction subsidy condition)."""
    first_intake: Count | None = None
    """Children in the first intake (Xiamen: at least 5 infants)."""
    staff_puhui_fees: StrictBool | None = None
    """Fees charged to the employer's own staff are at the 普惠 (affordable) level."""
    classes: tuple[Annotated[int, Field(strict=True, ge=1, le=MAX_PLACES)], ...] | None = None
    """Children in each class (班), when the caller gives them (Xiamen's per-class operating reading)."""
    registered: StrictBool | None = None
    """登记: the facility has completed registration."""
    filed: StrictBool | None = None
    """备案: the facility has been filed with the health authority."""
    full_day_enrolled: Count | None = None
    """Children enrolled for full-day care (全日托), at most ``enrolled`` (Sichuan's per-child subsidy)."""
    staff_children: Count | None = None
    """Enrolled children of the employer's own employees, at most ``enrolled`` (Fujian, Siming)."""
    union_dues_paid: StrictBool | None = None
    """The employer has a union that pays its dues (工会经费) (Siming district allowance)."""
    alliance_member: StrictBool | None = None
    """The employer belongs to a workers' childcare alliance (职工托育中心联盟, Hangzhou)."""
    accepted: StrictBool | None = None
    """验收: the facility has passed acceptance, the word of the source of Xiamen's per-class operating reading
    (东方财富网 reprint, 2022-07-07: the subsidy is paid yearly per class after acceptance). Read only with
    ``classes``; False leaves the per-class reading unpaid."""
    mixed_with_preschool: StrictBool | None = None
    """幼儿园未设置独立托班,与学龄前幼儿混合编班: the facility is a kindergarten with no separate 托班 that
    puts children under 3 in classes with preschool children, managed as preschool education (学前教育). False
    for a facility that is not a kindergarten, or that runs a separate 托班. Sichuan (雅安日报): outside the
    普惠 subsidy."""
    preschool_subsidy: StrictBool | None = None
    """The facility (a kindergarten's 托班) takes the public preschool education subsidies (学前教育的相关财政补助).
    False for a facility that takes none. Sichuan (雅安日报): a kindergarten's 托班 cannot take both those and
    the 普惠 childcare subsidy."""

    received: tuple[Receipt, ...] = ()
    """Payments already received (:class:`~tuoyu_rules.Receipt`: programme, day, amount). No rule reads them: the
    engine's receipt step gives each entry its ``received`` and ``owed`` (see :mod:`tuoyu_rules.core.receipts`)."""

    @field_validator(*dict.fromkeys(limit.field for limit in CROSS_FIELD_LIMITS))
    @classmethod
    def _within_limits(cls, value: Any, info: ValidationInfo) -> Any:
        """Every relation of :data:`CROSS_FIELD_LIMITS` on this field, in the table's order."""
        return within_limits(value, str(info.field_name), info.data)

    def designation(self, program: str) -> Designation | None:
        """The designation with this id, if the facility holds it."""
        for d in self.designations:
            if d.program == program:
                return d
        return None
