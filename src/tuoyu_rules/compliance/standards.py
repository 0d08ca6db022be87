"""Facility standards: class sizes, carer ratios and ages, family childcare points, Hangzhou's size limit, area.

Every figure is read from the data files' parameters, never written here:

* ``cn.facility_standard`` (托育机构设置标准（试行）, 国卫人口发〔2019〕58号; **secondary**: the figures are widely
  reported but the original clause was not seen, and every finding based on it says so through its
  ``confidence``): 乳儿班 (``infant``) 6-12 months, at most 10 children, at most 3 per carer; 托小班 (``small``)
  12-24 months, at most 15, 5 per carer; 托大班 (``large``) 24-36 months, at most 20, 7 per carer; 混龄班
  (``mixed``) only children of 18 months and over, at most 18.
* ``cn.family_childcare_point`` (家庭托育点管理办法（试行）): at most 5 infants, at most 3 per carer; more than 5
  must register as a childcare facility.
* ``hangzhou.facility_limits`` (from 2022-10-03): at most 150 children or 10 classes.

Readings the checks use (documented decisions):

* Ages are whole completed months. A class's age band is half-open, ``[from, to)``: the data says the next
  class starts "from here" (a child of exactly 12 months belongs to 托小班, not 乳儿班). The upper end of a
  mixed class is the 托大班 upper end (36 months: childcare here is for children under 3); the standard's
  mixed-class figure is only its lower end (18). Ages not given: the age rule is ``cannot_check``.
* Carer ratios are checked exactly, with integers: ``children <= carers * children_per_carer``. The sources
  give no ratio for mixed classes, so that ratio is ``cannot_check``.
* Hangzhou's "at most 150 children or 10 classes" (hangzhou.toml: programme name "at most 150 children or 10
  classes", citation summary "enrols at most 150 children or runs at most 10 classes"; the original Chinese
  words were not seen). Read by default as **each limit binds** (``hangzhou_reading="each_limit"``): one cap
  on a facility's scale, stated in two units, so exceeding either figure breaks it; this is also how "not
  more than 150 children or 10 classes" reads when the negation covers both. The summary's wording can also
  be read as "either limit suffices" (``hangzhou_reading="either_limit"``). When exactly one figure is
  exceeded the two readings differ, and the message says so; under ``either_limit`` that case is a
  ``warning``. The limits apply when the facility's jurisdiction is Hangzhou or a district under it, on or
  after the parameters' start date.
* Area per place: no national minimum is in the sources. The caller supplies ``min_area_per_place_m2``; the
  Henan Health Cadre College's 每托位建筑面积不少于12平方米 (seed 000) is that college's own standard, the
  documented example (:data:`HENAN_COLLEGE_AREA`), not a national rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..core.citations import Citation
from ..core.models import Count
from ..core.parameters import ParameterUse
from .findings import (
    ComplianceReport,
    Finding,
    FindingOutcome,
    SquareMetres,
    citation,
    count_parameter,
    require_count,
)

ClassKind = Literal["infant", "small", "large", "mixed"]
"""Class kinds of the national standard: ``infant`` 乳儿班 (6-12 months), ``small`` 托小班 (12-24 months),
``large`` 托大班 (24-36 months), ``mixed`` 混龄班 (18 months and over)."""
CLASS_KINDS: Final[tuple[str, ...]] = ("infant", "small", "large", "mixed")
_ZH: Final[dict[str, str]] = {"infant": "乳儿班", "small": "托小班", "large": "托大班", "mixed": "混龄班"}

Setting = Literal["facility", "family_point"]
"""``facility`` 托育机构 (the national facility standard applies per class) or ``family_point`` 家庭托育点."""

HangzhouReading = Literal["each_limit", "either_limit"]

HENAN_COLLEGE_AREA: Final = Citation(
    id="cn.seed_henan_college_area",
    source="000_c1cdc2b76565fa65.txt",
    title="全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会",
    clause="河南卫生健康干部学院《发挥资源优势 办好普惠托育》, 高起点规划场地",
    quote="每托位建筑面积不少于12平方米",
    confidence="official",
    issuer="全国总工会女职工部 (ACFTU Women Workers' Department), with 国家卫生健康委 (NHC)",
)
"""The Henan Health Cadre College's own area standard (seed 000): the documented example of a caller-supplied
minimum area per place (12 m² of building area per place), not a national rule."""
HENAN_COLLEGE_MIN_AREA_PER_PLACE: Final = Decimal("12")
"""The college's figure, for callers who adopt it as their minimum (pass it as ``min_area_per_place_m2``)."""

_MAX_AGE_MONTHS = 120


class ChildcareClass(BaseModel):
    """One class (班) of a childcare facility: its kind, children, carers and, if known, the age span."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ClassKind
    children: Count
    carers: Count
    youngest_months: int | None = Field(default=None, strict=True, ge=0, le=_MAX_AGE_MONTHS)
    """Age of the youngest child in whole completed months (None: not given)."""
    oldest_months: int | None = Field(default=None, strict=True, ge=0, le=_MAX_AGE_MONTHS)
    """Age of the oldest child in whole completed months (None: not given)."""
    name: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _ages(self) -> Self:
        young, old = self.youngest_months, self.oldest_months
        if young is not None and old is not None and young > old:
            raise ValueError("youngest_months is above oldest_months")
        return self


class StandardsInput(BaseModel):
    """What :func:`check_facility_standards` checks (all counts are whole numbers, areas exact m²).

    ``children`` is the total enrolled (for a facility, it defaults to the sum over ``classes``; when given
    with classes it must equal that sum); ``carers`` the total carers (required to check a family point's
    ratio; for a facility the ratio is checked per class); ``jurisdiction`` where the setting is (Hangzhou's
    limits apply in Hangzhou and its districts); ``places`` and ``building_area_m2`` for the area check.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    setting: Setting = "facility"
    classes: tuple[ChildcareClass, ...] = Field(default=(), max_length=1000)
    children: Count | None = None
    carers: Count | None = None
    jurisdiction: str | None = None
    places: Count | None = None
    building_area_m2: SquareMetres | None = None
    min_area_per_place_m2: SquareMetres | None = None
    """The caller's minimum building area per place (e.g. the Henan college's 12); no national figure exists."""
    hangzhou_reading: HangzhouReading = "each_limit"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.setting == "family_point" and self.classes:
            raise ValueError("classes: a family childcare point (family_point) has no classes; give children, carers")
        if self.setting == "family_point" and self.children is None:
            raise ValueError("children: a family childcare point needs the number of children")
        if self.classes and self.children is not None:
            total = sum(c.children for c in self.classes)
            if total != self.children:
                raise ValueError(f"children: {self.children} differs from the sum over classes ({total})")
        if self.jurisdiction is not None:
            from ..core.registry import get_policy

            get_policy(self.jurisdiction)  # an unknown id raises UnknownJurisdiction listing the known ids
        return self

    @property
    def total_children(self) -> int | None:
        if self.children is not None:
            return self.children
        if self.classes:
            return sum(c.children for c in self.classes)
        return None


def _finding(
    rule: str,
    outcome: FindingOutcome,
    message: str,
    cites: tuple[Citation, ...],
    concerns: str | None,
    uses: tuple[ParameterUse, ...] = (),
) -> Finding:
    return Finding(rule=rule, outcome=outcome, message=message, concerns=concerns, citations=cites, parameters=uses)


def _cn(name: str, on: dt.date) -> tuple[int, ParameterUse]:
    return require_count("cn", f"cn.facility_standard.{name}", on)


def _age_band(kind: ClassKind, on: dt.date) -> tuple[int, int, tuple[ParameterUse, ...]]:
    """``[low, high)`` in completed months for a class kind, from the data."""
    if kind == "infant":
        (lo, u1), (hi, u2) = _cn("infant_class.min_age_months", on), _cn("infant_class.max_age_months", on)
    elif kind == "small":
        (lo, u1), (hi, u2) = _cn("infant_class.max_age_months", on), _cn("small_class.max_age_months", on)
    elif kind == "large":
        (lo, u1), (hi, u2) = _cn("small_class.max_age_months", on), _cn("large_class.max_age_months", on)
    else:
        (lo, u1), (hi, u2) = _cn("mixed_class.min_age_months", on), _cn("large_class.max_age_months", on)
    return lo, hi, (u1, u2)


def _class_findings(i: int, c: ChildcareClass, on: dt.date) -> list[Finding]:
    cites = (citation("cn", "cn.facility_standard"),)
    zh = _ZH[c.kind]
    label = f"class {i} ({c.name + ', ' if c.name else ''}{zh})"
    base = "cn.facility_standard"
    out: list[Finding] = []
    prefix = "infant_class" if c.kind == "infant" else f"{c.kind}_class"

    most, use = _cn(f"{prefix}.max_children", on)
    if c.children > most:
        out.append(
            _finding(
                f"{base}.class_size",
                "breach",
                f"{label} has {_n(c.children, 'child', 'children')}; a {zh} takes at most {most}",
                cites,
                f"classes[{i}].children",
                (use,),
            )
        )
    else:
        out.append(
            _finding(
                f"{base}.class_size",
                "ok",
                f"{label} has {_n(c.children, 'child', 'children')}, at most {most}",
                cites,
                f"classes[{i}].children",
                (use,),
            )
        )

    if c.kind == "mixed":
        out.append(
            _finding(
                f"{base}.carer_ratio",
                "cannot_check",
                f"{label}: the sources give no carer ratio for mixed-age classes (混龄班)",
                cites,
                f"classes[{i}].carers",
            )
        )
    else:
        per, use = _cn(f"{prefix}.children_per_carer", on)
        if c.children > c.carers * per:
            need = -(-c.children // per)
            out.append(
                _finding(
                    f"{base}.carer_ratio",
                    "breach",
                    f"{label} has {_n(c.children, 'child', 'children')} and {_n(c.carers, 'carer', 'carers')}; "
                    f"a {zh} needs at least 1 carer per {per} children ({_n(need, 'carer', 'carers')})",
                    cites,
                    f"classes[{i}].carers",
                    (use,),
                )
            )
        else:
            out.append(
                _finding(
                    f"{base}.carer_ratio",
                    "ok",
                    f"{label} has {_n(c.children, 'child', 'children')} and {_n(c.carers, 'carer', 'carers')}, "
                    f"within 1:{per}",
                    cites,
                    f"classes[{i}].carers",
                    (use,),
                )
            )

    lo, hi, uses = _age_band(c.kind, on)
    band = f"{lo} to under {hi} months"
    if c.youngest_months is None or c.oldest_months is None:
        out.append(
            _finding(
                f"{base}.age_band",
                "cannot_check",
                f"{label}: ages not given (youngest_months, oldest_months); a {zh} takes children of {band}",
                cites,
                f"classes[{i}]",
                uses,
            )
        )
    elif c.youngest_months < lo or c.oldest_months >= hi:
        out.append(
            _finding(
                f"{base}.age_band",
                "breach",
                f"{label} has children of {c.youngest_months} to {c.oldest_months} months; a {zh} takes children "
                f"of {band}" + (" (mixed-age classes only from 18 months)" if c.kind == "mixed" else ""),
                cites,
                f"classes[{i}].youngest_months" if c.youngest_months < lo else f"classes[{i}].oldest_months",
                uses,
            )
        )
    else:
        out.append(
            _finding(
                f"{base}.age_band",
                "ok",
                f"{label} has children of {c.youngest_months} to {c.oldest_months} months, within {band}",
                cites,
                f"classes[{i}]",
                uses,
            )
        )
    return out


def _family_point(data: StandardsInput, on: dt.date) -> list[Finding]:
    cites = (citation("cn", "cn.family_childcare_point"),)
    base = "cn.family_childcare_point"
    children = data.children or 0
    most, use = require_count("cn", f"{base}.max_children", on)
    per, use2 = require_count("cn", f"{base}.children_per_carer", on)
    out: list[Finding] = []
    if children > most:
        out.append(
            _finding(
                f"{base}.max_children",
                "breach",
                f"a family childcare point (家庭托育点) takes at most {most} infants, not {children}; a setting taking "
                f"more than {most} must register as a childcare facility (托育机构)",
                cites,
                "children",
                (use,),
            )
        )
    else:
        out.append(
            _finding(f"{base}.max_children", "ok", f"{children} infants, at most {most}", cites, "children", (use,))
        )
    if data.carers is None:
        out.append(
            _finding(
                f"{base}.carer_ratio",
                "cannot_check",
                f"carers not given: each carer at a family childcare point looks after at most {per} infants",
                cites,
                "carers",
                (use2,),
            )
        )
    elif children > data.carers * per:
        out.append(
            _finding(
                f"{base}.carer_ratio",
                "breach",
                f"{children} infants and {_n(data.carers, 'carer', 'carers')}: each carer looks after at most {per} "
                f"({_n(-(-children // per), 'carer', 'carers')} needed)",
                cites,
                "carers",
                (use2,),
            )
        )
    else:
        out.append(
            _finding(
                f"{base}.carer_ratio",
                "ok",
                f"{children} infants and {_n(data.carers, 'carer', 'carers')}, at most {per} each",
                cites,
                "carers",
                (use2,),
            )
        )
    return out


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _in_hangzhou(jurisdiction: str | None) -> bool:
    if jurisdiction is None:
        return False
    from ..core.registry import chain

    return any(p.id == "hangzhou" for p in chain(jurisdiction))


def _hangzhou(data: StandardsInput, on: dt.date) -> list[Finding]:
    rule = "hangzhou.facility_limits"
    if data.setting != "facility" or not _in_hangzhou(data.jurisdiction):
        return []
    cites = (citation("hangzhou", "hangzhou.facility_limits_2022"),)
    kids = count_parameter("hangzhou", f"{rule}.max_children", on)
    classes = count_parameter("hangzhou", f"{rule}.max_classes", on)
    if kids is None or classes is None:
        return [
            _finding(
                rule,
                "not_applicable",
                f"Hangzhou's facility size limits are not in force on {on.isoformat()}",
                cites,
                None,
            )
        ]
    (max_kids, u1), (max_classes, u2) = kids, classes
    uses = (u1, u2)
    n_kids = data.total_children
    n_classes = len(data.classes) if data.classes else None
    flags = (
        ("children", None if n_kids is None else n_kids > max_kids),
        ("classes", None if n_classes is None else n_classes > max_classes),
    )
    stated = "; ".join(
        (
            f"{_n(n_kids, 'child', 'children')} (limit {max_kids})" if n_kids is not None else "children not given",
            f"{_n(n_classes, 'class', 'classes')} (limit {max_classes})"
            if n_classes is not None
            else "classes not given",
        )
    )
    over = [name for name, flag in flags if flag]
    within = [name for name, flag in flags if flag is False]
    unknown = [name for name, flag in flags if flag is None]
    if len(over) == 2:
        return [_finding(rule, "breach", f"{stated}: both Hangzhou limits are exceeded", cites, None, uses)]
    if data.hangzhou_reading == "each_limit":
        if over:
            return [
                _finding(
                    rule,
                    "breach",
                    f"{stated}: the {over[0]} limit is exceeded. Read as 'each limit binds' (one cap on scale, in two "
                    "units); under the reading 'either limit suffices' (hangzhou_reading='either_limit') it "
                    "would not be a breach",
                    cites,
                    over[0],
                    uses,
                )
            ]
        if unknown:
            return [
                _finding(
                    rule,
                    "cannot_check",
                    f"{stated}: the {' and '.join(unknown)} limit cannot be checked",
                    cites,
                    unknown[0],
                    uses,
                )
            ]
        return [_finding(rule, "ok", f"{stated}: within both Hangzhou limits", cites, None, uses)]
    # either_limit: kept when at least one figure is known to be within its limit.
    if over and within:
        return [
            _finding(
                rule,
                "warning",
                f"{stated}: only the {over[0]} limit is exceeded. Under the reading 'either limit suffices' this is "
                "allowed; under the reading 'each limit binds' (the default) it is a breach",
                cites,
                over[0],
                uses,
            )
        ]
    if within:
        return [_finding(rule, "ok", f"{stated}: within the limit (either limit suffices)", cites, None, uses)]
    return [
        _finding(
            rule,
            "cannot_check",
            f"{stated}: under the reading 'either limit suffices' the {' and '.join(unknown)} decide it",
            cites,
            unknown[0],
            uses,
        )
    ]


def _area(data: StandardsInput) -> list[Finding]:
    rule = "area_per_place"
    cites = (HENAN_COLLEGE_AREA,)
    if data.building_area_m2 is None and data.min_area_per_place_m2 is None:
        return []
    if data.min_area_per_place_m2 is None:
        return [
            _finding(
                rule,
                "cannot_check",
                "no national minimum area per place is in the sources; supply min_area_per_place_m2 (the Henan "
                "Health Cadre College's own standard is 12 m² of building area per place, "
                "每托位建筑面积不少于12平方米)",
                cites,
                "min_area_per_place_m2",
            )
        ]
    if data.building_area_m2 is None or data.places is None:
        missing = "building_area_m2" if data.building_area_m2 is None else "places"
        return [
            _finding(rule, "cannot_check", f"{missing} not given: the area per place cannot be checked", cites, missing)
        ]
    need = data.min_area_per_place_m2 * data.places
    minimum = format(data.min_area_per_place_m2, "f")
    area = format(data.building_area_m2, "f")
    what = f"{area} m² for {data.places} places; the caller's minimum of {minimum} m² per place needs {need} m²"
    if data.building_area_m2 < need:
        return [_finding(rule, "breach", what, cites, "building_area_m2")]
    return [_finding(rule, "ok", what, cites, "building_area_m2")]


def check_standards(data: StandardsInput, *, on: dt.date) -> ComplianceReport:
    """Check a validated :class:`StandardsInput` on day ``on`` (see the module docstring for the readings)."""
    findings: list[Finding] = []
    if data.setting == "family_point":
        findings.extend(_family_point(data, on))
    else:
        for i, c in enumerate(data.classes):
            findings.extend(_class_findings(i, c, on))
    findings.extend(_hangzhou(data, on))
    findings.extend(_area(data))
    notes: list[str] = []
    if data.setting == "facility":
        if not data.classes:
            findings.insert(
                0,
                _finding(
                    "cn.facility_standard.classes",
                    "cannot_check",
                    "no classes given: class sizes, carer ratios and ages (托育机构设置标准) were not checked",
                    (citation("cn", "cn.facility_standard"),),
                    "classes",
                ),
            )
        notes.append(
            "The national facility standard's figures are secondary (widely reported, original clause not seen)."
        )
    return ComplianceReport(check="facility_standards", findings=tuple(findings), notes=tuple(notes))


def check_facility_standards(
    *,
    on: dt.date,
    classes: Sequence[ChildcareClass | Mapping[str, Any]] = (),
    carers: int | None = None,
    children: int | None = None,
    setting: Setting = "facility",
    jurisdiction: str | None = None,
    places: int | None = None,
    building_area_m2: int | str | Decimal | None = None,
    min_area_per_place_m2: int | str | Decimal | None = None,
    hangzhou_reading: HangzhouReading = "each_limit",
) -> ComplianceReport:
    """Check class sizes, carer ratios and ages (national standard), a family point's limits, Hangzhou's size
    limit and the area per place, on day ``on``. Bad input raises pydantic ``ValidationError`` naming the field.

    >>> import datetime as dt
    >>> r = check_facility_standards(on=dt.date(2024, 1, 1), classes=[{"kind": "infant", "children": 10, "carers": 3}])
    >>> r.outcomes("cn.facility_standard.carer_ratio")
    ('breach',)
    """
    data = StandardsInput.model_validate(
        {
            "setting": setting,
            "classes": tuple(classes),
            "children": children,
            "carers": carers,
            "jurisdiction": jurisdiction,
            "places": places,
            "building_area_m2": building_area_m2,
            "min_area_per_place_m2": min_area_per_place_m2,
            "hangzhou_reading": hangzhou_reading,
        }
    )
    return check_standards(data, on=on)
