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

from ..core.messages import Message, msg
from ..core.parameters import ParameterUse
from .findings import Draft, citation, finding, require_count
from .standards_input import ChildcareClass, ClassKind, StandardsInput

_ZH: Final[dict[str, str]] = {"infant": "乳儿班", "small": "托小班", "large": "托大班", "mixed": "混龄班"}
"""The standard's name of each class kind: the parameter ``kind`` of the class messages, in both languages."""
_NAMED: Final[dict[str, str]] = {
    "compliance.class.size_over": "compliance.class.size_over.named",
    "compliance.class.size_ok": "compliance.class.size_ok.named",
    "compliance.class.ratio_not_given": "compliance.class.ratio_not_given.named",
    "compliance.class.ratio_short": "compliance.class.ratio_short.named",
    "compliance.class.ratio_ok": "compliance.class.ratio_ok.named",
    "compliance.class.ages_not_given": "compliance.class.ages_not_given.named",
    "compliance.class.ages_outside": "compliance.class.ages_outside.named",
    "compliance.class.ages_outside_mixed": "compliance.class.ages_outside_mixed.named",
    "compliance.class.ages_ok": "compliance.class.ages_ok.named",
}
"""Each class message and its twin naming the class (a class without a name is named by its index only)."""


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


def _class_msg(code: str, i: int, c: ChildcareClass, **params: object) -> Message:
    """A class's message: ``index``, ``kind`` (乳儿班…) and, when the class has one, ``name`` (the twin code)."""
    if c.name:
        return msg(_NAMED[code], index=i, name=c.name, kind=_ZH[c.kind], **params)
    return msg(code, index=i, kind=_ZH[c.kind], **params)


def class_findings(i: int, c: ChildcareClass, on: dt.date) -> list[Draft]:
    """Class ``i``'s size, carer ratio and age band against the national standard in force on ``on``."""
    cites = (citation("cn", "cn.facility_standard"),)
    base = "cn.facility_standard"
    out: list[Draft] = []
    prefix = "infant_class" if c.kind == "infant" else f"{c.kind}_class"

    most, use = _cn(f"{prefix}.max_children", on)
    where = f"classes[{i}].children"
    if c.children > most:
        over = _class_msg("compliance.class.size_over", i, c, children=c.children, most=most)
        out.append(finding(f"{base}.class_size", "breach", over, cites, where, (use,)))
    else:
        kept = _class_msg("compliance.class.size_ok", i, c, children=c.children, most=most)
        out.append(finding(f"{base}.class_size", "ok", kept, cites, where, (use,)))

    where = f"classes[{i}].carers"
    if c.kind == "mixed":
        unknown = _class_msg("compliance.class.ratio_not_given", i, c)
        out.append(finding(f"{base}.carer_ratio", "cannot_check", unknown, cites, where))
    else:
        per, use = _cn(f"{prefix}.children_per_carer", on)
        counts = {"children": c.children, "carers": c.carers, "per": per}
        if c.children > c.carers * per:
            short = _class_msg("compliance.class.ratio_short", i, c, **counts, need=-(-c.children // per))
            out.append(finding(f"{base}.carer_ratio", "breach", short, cites, where, (use,)))
        else:
            kept = _class_msg("compliance.class.ratio_ok", i, c, **counts)
            out.append(finding(f"{base}.carer_ratio", "ok", kept, cites, where, (use,)))

    lo, hi, uses = _age_band(c.kind, on)
    rule = f"{base}.age_band"
    if c.youngest_months is None or c.oldest_months is None:
        fields = ("youngest_months", "oldest_months")
        unknown = _class_msg("compliance.class.ages_not_given", i, c, fields=fields, low=lo, high=hi)
        out.append(finding(rule, "cannot_check", unknown, cites, f"classes[{i}]", uses))
        return out
    ages = {"youngest": c.youngest_months, "oldest": c.oldest_months, "low": lo, "high": hi}
    if c.youngest_months < lo or c.oldest_months >= hi:
        if c.kind == "mixed":
            outside = _class_msg("compliance.class.ages_outside_mixed", i, c, **ages)
        else:
            outside = _class_msg("compliance.class.ages_outside", i, c, **ages)
        where = f"classes[{i}].youngest_months" if c.youngest_months < lo else f"classes[{i}].oldest_months"
        out.append(finding(rule, "breach", outside, cites, where, uses))
    else:
        kept = _class_msg("compliance.class.ages_ok", i, c, **ages)
        out.append(finding(rule, "ok", kept, cites, f"classes[{i}]", uses))
    return out


def family_point_findings(data: StandardsInput, on: dt.date) -> list[Draft]:
    """A family childcare point's children and carer ratio against its limits in force on ``on``."""
    cites = (citation("cn", "cn.family_childcare_point"),)
    base = "cn.family_childcare_point"
    children = data.children or 0
    most, use = require_count("cn", f"{base}.max_children", on)
    per, use2 = require_count("cn", f"{base}.children_per_carer", on)
    out: list[Draft] = []
    if children > most:
        over = msg("compliance.family_point.over", most=most, children=children)
        out.append(finding(f"{base}.max_children", "breach", over, cites, "children", (use,)))
    else:
        within = msg("compliance.family_point.within", children=children, most=most)
        out.append(finding(f"{base}.max_children", "ok", within, cites, "children", (use,)))
    rule = f"{base}.carer_ratio"
    if data.carers is None:
        unknown = msg("compliance.family_point.carers_not_given", per=per)
        out.append(finding(rule, "cannot_check", unknown, cites, "carers", (use2,)))
    elif children > data.carers * per:
        need = -(-children // per)
        short = msg("compliance.family_point.ratio_short", children=children, carers=data.carers, per=per, need=need)
        out.append(finding(rule, "breach", short, cites, "carers", (use2,)))
    else:
        kept = msg("compliance.family_point.ratio_ok", children=children, carers=data.carers, per=per)
        out.append(finding(rule, "ok", kept, cites, "carers", (use2,)))
    return out
