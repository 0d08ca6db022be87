"""Input models: a facility and the designations its employer holds. Immutable and fully validated.

Naming rule for fields: a plural noun is a count (``places``, ``enrolled``) or a collection
(``designations``, ``classes``); a bare adjective is a yes/no fact (``embedded``, ``filed``). A fact that
only a refinement's condition needs is optional: ``None`` means "not supplied", which the rule reports in
``missing`` instead of guessing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, NamedTuple, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator

from . import registry
from .errors import InvalidInput, TuoyuError
from .money import Money
from .policy import Policy

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


class Limit(NamedTuple):
    """A cross-field relation of :class:`Facility`: ``field`` (its :func:`limited_amount`) is at most ``limit``."""

    field: str
    limit: str
    message: str
    """The error text, with ``{value}`` (the amount) and ``{limit}`` (the limiting field's value)."""


CROSS_FIELD_LIMITS: tuple[Limit, ...] = (
    Limit("enrolled", "places", "enrolled ({value}) is more than places ({limit}); enrolled must be <= places"),
    Limit("first_intake", "places", "first_intake ({value}) is more than places ({limit}); it must be <= places"),
    Limit("classes", "places", "{value} children in classes is more than places ({limit})"),
    Limit(
        "classes",
        "enrolled",
        "{value} children in classes is more than enrolled ({limit}); classes count enrolled children",
    ),
    Limit(
        "full_day_enrolled",
        "enrolled",
        "full_day_enrolled ({value}) is more than enrolled ({limit}); it must be <= enrolled",
    ),
    Limit(
        "staff_children",
        "enrolled",
        "staff_children ({value}) is more than enrolled ({limit}); it must be <= enrolled",
    ),
)
"""Facility's cross-field rules, stated once: its validator reads this table (checked in this order, the first
relation broken on a field is its error; a relation is checked only when both fields are given and valid),
and so does the column checker of :mod:`tuoyu_rules.batch.columns`."""


def limited_amount(value: Any) -> int:
    """The amount a :data:`CROSS_FIELD_LIMITS` relation compares: a count itself, a tuple of counts its sum."""
    return sum(value) if isinstance(value, tuple) else value


class _Missing:
    """Marks an argument not given (so pydantic reports it as a missing field)."""


_MISSING = _Missing()


class Designation(BaseModel):
    """A body selected or recognised the facility's employer, or the facility (a fact, with its year).

    ``program`` is a designation id such as ``cn.caring_employer`` or ``weifang.caring_employer``;
    ``year`` picks the batch rules it falls under; ``amount``, when given, pins the awarded sum and must lie
    inside the programme's range for that year (or be one of its allowed values).

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
            raise ValueError(str(exc)) from None
        return value

    @field_validator("amount")
    @classmethod
    def _pinned_inside(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        program, year = info.data.get("program"), info.data.get("year")
        if value is None or not isinstance(program, str) or not isinstance(year, int):
            return value  # program or year already failed; their own errors say why
        policy, spec = registry.find_designation(program)
        allowed = policy.designation_range(program, year)
        if allowed is not None and not allowed.contains(value):
            raise ValueError(
                f"amount {value} is not {allowed.describe_allowed()}, the range of {spec.program} "
                f"for {year}; a pinned amount must lie inside the programme's range"
            )
        return value


def locate(text: str) -> tuple[Policy, str | None]:
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

    def note(missing: str, above: str) -> str:
        return (
            f"division code {text} has no layer of its own: no {missing} rules are encoded there; it is assessed "
            f"with {policy.id!r} ({policy.name_zh}) and the {above}"
        )

    if policy.level in ("city", "district"):
        return policy, note("district", "layers above it") if by_code else None
    if policy.level == "province" and by_code:
        return policy, note("city", "national layer")
    named = repr(text) if text == policy.id else f"{text!r} ({policy.id})"
    raise InvalidInput(
        "jurisdiction", f"{named} is a {policy.level} jurisdiction; a facility is in a city or district (e.g. 'xiamen')"
    )


def _city_or_district(value: str) -> str:
    """``value`` if it is a city or district, by id or division code (ValueError otherwise); kept as given."""
    try:
        locate(value)
    except InvalidInput as exc:
        raise ValueError(exc.problem) from None
    except TuoyuError as exc:
        raise ValueError(str(exc)) from None
    return value


def _each_once(value: tuple[Designation, ...]) -> tuple[Designation, ...]:
    """``value`` if no programme is in it twice (ValueError otherwise)."""
    seen: set[str] = set()
    for d in value:
        if d.program in seen:
            raise ValueError(f"{d.program!r} is given twice; give each designation once")
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

    @field_validator(*dict.fromkeys(limit.field for limit in CROSS_FIELD_LIMITS))
    @classmethod
    def _within_limits(cls, value: Any, info: ValidationInfo) -> Any:
        """Every relation of :data:`CROSS_FIELD_LIMITS` on this field, in the table's order."""
        if value is None:
            return value
        amount = limited_amount(value)
        for limit in CROSS_FIELD_LIMITS:
            if limit.field != info.field_name:
                continue
            bound = info.data.get(limit.limit)
            if isinstance(bound, int) and amount > bound:
                raise ValueError(limit.message.format(value=amount, limit=bound))
        return value

    def designation(self, program: str) -> Designation | None:
        """The designation with this id, if the facility holds it."""
        for d in self.designations:
            if d.program == program:
                return d
        return None
