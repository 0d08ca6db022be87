"""The national standards, checked: class sizes, carer ratios and ages (托育机构设置标准), and a family
childcare point's limits (家庭托育点管理办法).

Every figure is read from ``jurisdictions/cn.toml``, never written here:

* ``cn.facility_standard`` (托育机构设置标准（试行）, 国卫人口发〔2019〕58号; **secondary**: the figures are widely
  reported but the original clause was not seen, and every finding based on it says so through its
  ``confidence``): 乳儿班 (``infant``) 6-12 months, at most 10 children, at most 3 per carer; 托小班 (``small``)
  12-24 months, at most 15, 5 per carer; 托大班 (``large``) 24-36 months, at most 20, 7 per carer; 混龄班
  (``mixed``) only children of 18 months and over, at most 18.
* ``cn.family_childcare_point`` (家庭托育点管理办法（试行）): at most 5 infants, at most 3 per carer; more than 5
  must register as a childcare facility.

Readings the checks use (documented decisions):

* Ages are whole completed months. A class's age band is half-open, ``[from, to)``: the data says the next
  class starts "from here" (a child of exactly 12 months belongs to 托小班, not 乳儿班). The upper end of a
  mixed class is the 托大班 upper end (36 months: childcare here is for children under 3); the standard's
  mixed-class figure is only its lower end (18). Ages not given: the age rule is ``cannot_check``.
* Carer ratios are checked exactly, with integers: ``children <= carers * children_per_carer``. The sources
  give no ratio for mixed classes, so that ratio is ``cannot_check``.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..core.parameters import ParameterUse
from .findings import Finding, citation, finding, plural, require_count
from .standards_input import ChildcareClass, ClassKind, StandardsInput

_ZH: Final[dict[str, str]] = {"infant": "乳儿班", "small": "托小班", "large": "托大班", "mixed": "混龄班"}


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


def class_findings(i: int, c: ChildcareClass, on: dt.date) -> list[Finding]:
    """Class ``i``'s size, carer ratio and age band against the national standard in force on ``on``."""
    cites = (citation("cn", "cn.facility_standard"),)
    zh = _ZH[c.kind]
    label = f"class {i} ({c.name + ', ' if c.name else ''}{zh})"
    base = "cn.facility_standard"
    out: list[Finding] = []
    prefix = "infant_class" if c.kind == "infant" else f"{c.kind}_class"

    most, use = _cn(f"{prefix}.max_children", on)
    if c.children > most:
        out.append(
            finding(
                f"{base}.class_size",
                "breach",
                f"{label} has {plural(c.children, 'child', 'children')}; a {zh} takes at most {most}",
                cites,
                f"classes[{i}].children",
                (use,),
            )
        )
    else:
        out.append(
            finding(
                f"{base}.class_size",
                "ok",
                f"{label} has {plural(c.children, 'child', 'children')}, at most {most}",
                cites,
                f"classes[{i}].children",
                (use,),
            )
        )

    if c.kind == "mixed":
        out.append(
            finding(
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
                finding(
                    f"{base}.carer_ratio",
                    "breach",
                    f"{label} has {plural(c.children, 'child', 'children')} and {plural(c.carers, 'carer')}; "
                    f"a {zh} needs at least 1 carer per {per} children ({plural(need, 'carer')})",
                    cites,
                    f"classes[{i}].carers",
                    (use,),
                )
            )
        else:
            out.append(
                finding(
                    f"{base}.carer_ratio",
                    "ok",
                    f"{label} has {plural(c.children, 'child', 'children')} and {plural(c.carers, 'carer')}, "
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
            finding(
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
            finding(
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
            finding(
                f"{base}.age_band",
                "ok",
                f"{label} has children of {c.youngest_months} to {c.oldest_months} months, within {band}",
                cites,
                f"classes[{i}]",
                uses,
            )
        )
    return out


def family_point_findings(data: StandardsInput, on: dt.date) -> list[Finding]:
    """A family childcare point's children and carer ratio against its limits in force on ``on``."""
    cites = (citation("cn", "cn.family_childcare_point"),)
    base = "cn.family_childcare_point"
    children = data.children or 0
    most, use = require_count("cn", f"{base}.max_children", on)
    per, use2 = require_count("cn", f"{base}.children_per_carer", on)
    out: list[Finding] = []
    if children > most:
        out.append(
            finding(
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
            finding(f"{base}.max_children", "ok", f"{children} infants, at most {most}", cites, "children", (use,))
        )
    if data.carers is None:
        out.append(
            finding(
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
            finding(
                f"{base}.carer_ratio",
                "breach",
                f"{children} infants and {plural(data.carers, 'carer')}: each carer looks after at most {per} "
                f"({plural(-(-children // per), 'carer')} needed)",
                cites,
                "carers",
                (use2,),
            )
        )
    else:
        out.append(
            finding(
                f"{base}.carer_ratio",
                "ok",
                f"{children} infants and {plural(data.carers, 'carer')}, at most {per} each",
                cites,
                "carers",
                (use2,),
            )
        )
    return out
