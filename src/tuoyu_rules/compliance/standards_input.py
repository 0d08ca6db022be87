"""What the facility standards checks take: a facility's classes (or a family childcare point), its
jurisdiction, and its building area, validated.

:class:`StandardsInput` is the input of :func:`~tuoyu_rules.compliance.standards.check_standards`;
:class:`ChildcareClass` is one class of it. :data:`HENAN_COLLEGE_AREA` is the documented example of a
caller-supplied minimum area per place (the Henan Health Cadre College's own standard, not a national rule).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..core.citations import Citation
from ..core.models import Count
from ..core.registry import get_policy
from .findings import SquareMetres

ClassKind = Literal["infant", "small", "large", "mixed"]
"""Class kinds of the national standard: ``infant`` 乳儿班 (6-12 months), ``small`` 托小班 (12-24 months),
``large`` 托大班 (24-36 months), ``mixed`` 混龄班 (18 months and over)."""
CLASS_KINDS: Final[tuple[str, ...]] = ("infant", "small", "large", "mixed")

Setting = Literal["facility", "family_point"]
"""``facility`` 托育机构 (the national facility standard applies per class) or ``family_point`` 家庭托育点."""

HangzhouReading = Literal["each_limit", "either_limit"]
"""How Hangzhou's "at most 150 children or 10 classes" is read (see :mod:`tuoyu_rules.compliance.hangzhou_limits`)."""

HENAN_COLLEGE_AREA: Final = Citation(
    id="cn.seed_henan_college_area",
    source="全国总工会女职工部特约刊登: 全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会",
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
            raise PydanticCustomError("error.standards.ages", "youngest_months is above oldest_months")
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
            problem = "classes: a family childcare point (family_point) has no classes; give children, carers"
            raise PydanticCustomError("error.standards.family_point_classes", problem)
        if self.setting == "family_point" and self.children is None:
            problem = "children: a family childcare point needs the number of children"
            raise PydanticCustomError("error.standards.family_point_children", problem)
        if self.classes and self.children is not None:
            total = sum(c.children for c in self.classes)
            if total != self.children:
                problem = "children: {children} differs from the sum over classes ({total})"
                said = {"children": self.children, "total": total}
                raise PydanticCustomError("error.standards.children_sum", problem, said)
        if self.jurisdiction is not None:
            get_policy(self.jurisdiction)  # an unknown id raises UnknownJurisdiction listing the known ids
        return self

    @property
    def total_children(self) -> int | None:
        if self.children is not None:
            return self.children
        if self.classes:
            return sum(c.children for c in self.classes)
        return None
