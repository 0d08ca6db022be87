"""Facility standards: the check that runs them all, and the area per place.

:func:`check_facility_standards` (keyword arguments) and :func:`check_standards` (a validated
:class:`~tuoyu_rules.compliance.standards_input.StandardsInput`) check, on one day:

* class sizes, carer ratios and ages (national standard ``cn.facility_standard``), or a family childcare
  point's limits (``cn.family_childcare_point``): :mod:`tuoyu_rules.compliance.national_standards`, which
  states its readings;
* Hangzhou's size limit (``hangzhou.facility_limits``): :mod:`tuoyu_rules.compliance.hangzhou_limits`, which
  states the two readings of "at most 150 children or 10 classes";
* the area per place, here. No national minimum is in the sources. The caller supplies
  ``min_area_per_place_m2``; the Henan Health Cadre College's 每托位建筑面积不少于12平方米 (seed 000) is that
  college's own standard, the documented example (:data:`HENAN_COLLEGE_AREA`), not a national rule.

Every figure is read from the data files' parameters, never written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..core.errors import WrongType, reports_invalid_data
from ..core.messages import Lang, Message, check_lang, msg
from ..core.money import in_money_context
from .findings import ComplianceReport, Draft, citation, finding, report
from .hangzhou_limits import hangzhou_findings
from .national_standards import class_findings, family_point_findings
from .standards_input import (
    HENAN_COLLEGE_AREA,
    HENAN_COLLEGE_MIN_AREA_PER_PLACE,
    ChildcareClass,
    HangzhouReading,
    Setting,
    StandardsInput,
)


def _area(data: StandardsInput) -> list[Draft]:
    rule = "area_per_place"
    cites = (HENAN_COLLEGE_AREA,)
    if data.building_area_m2 is None and data.min_area_per_place_m2 is None:
        return []
    if data.min_area_per_place_m2 is None:
        example = format(HENAN_COLLEGE_MIN_AREA_PER_PLACE, "f")
        no_minimum = msg("compliance.area.no_minimum", field="min_area_per_place_m2", example=example)
        return [finding(rule, "cannot_check", no_minimum, cites, "min_area_per_place_m2")]
    if data.building_area_m2 is None or data.places is None:
        missing = "building_area_m2" if data.building_area_m2 is None else "places"
        return [finding(rule, "cannot_check", msg("compliance.area.not_given", field=missing), cites, missing)]
    need = data.min_area_per_place_m2 * data.places
    figures = {
        "area": format(data.building_area_m2, "f"),
        "places": data.places,
        "minimum": format(data.min_area_per_place_m2, "f"),
        "need": format(need, "f"),
    }
    if data.building_area_m2 < need:
        return [finding(rule, "breach", msg("compliance.area.short", **figures), cites, "building_area_m2")]
    return [finding(rule, "ok", msg("compliance.area.enough", **figures), cites, "building_area_m2")]


@in_money_context
def check_standards(data: StandardsInput, *, on: dt.date, lang: Lang = "en") -> ComplianceReport:
    """Check a validated :class:`StandardsInput` on day ``on`` (see the module docstring for the readings).

    ``lang`` is the language of each finding's ``message`` and the report's ``notes``, ``"zh"`` or ``"en"`` (the
    default); their ``explanation`` has both."""
    lang = check_lang(lang)
    if not isinstance(data, StandardsInput):  # issue 15: one error family (was an AttributeError)
        problem = "expected a tuoyu_rules.StandardsInput, got {type}"
        raise WrongType.coded("data", "error.standards.data_type", problem, type=type(data).__name__)
    drafts: list[Draft] = []
    if data.setting == "family_point":
        drafts.extend(family_point_findings(data, on))
    else:
        for i, c in enumerate(data.classes):
            drafts.extend(class_findings(i, c, on))
    drafts.extend(hangzhou_findings(data, on))
    drafts.extend(_area(data))
    notes: list[Message] = []
    if data.setting == "facility":
        if not data.classes:
            no_classes = msg("compliance.standards.no_classes")
            cites = (citation("cn", "cn.facility_standard"),)
            drafts.insert(0, finding("cn.facility_standard.classes", "cannot_check", no_classes, cites, "classes"))
        notes.append(msg("compliance.standards.note.secondary"))
    return report("facility_standards", drafts, notes, lang)


@in_money_context
@reports_invalid_data  # issue 15: a bad class or count is a TuoyuError too (and still a ValidationError)
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
    lang: Lang = "en",
) -> ComplianceReport:
    """Check class sizes, carer ratios and ages (national standard), a family point's limits, Hangzhou's size
    limit and the area per place, on day ``on``. Bad input raises pydantic ``ValidationError`` naming the field.
    ``lang`` is the language of the findings' messages and the notes, ``"zh"`` or ``"en"`` (the default).

    >>> import datetime as dt
    >>> r = check_facility_standards(on=dt.date(2024, 1, 1), classes=[{"kind": "infant", "children": 10, "carers": 3}])
    >>> r.outcomes("cn.facility_standard.carer_ratio")
    ('breach',)
    """
    lang = check_lang(lang)
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
    return check_standards(data, on=on, lang=lang)
