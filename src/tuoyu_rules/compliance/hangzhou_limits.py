"""Hangzhou's facility size limits (``hangzhou.facility_limits``, from 2022-10-03): at most 150 children or
10 classes, checked.

The figures are read from ``jurisdictions/hangzhou.toml``. The reading (a documented decision): hangzhou.toml
gives the programme name "at most 150 children or 10 classes" and the citation summary "enrols at most 150
children or runs at most 10 classes"; the original Chinese words were not seen. Read by default as **each
limit binds** (``hangzhou_reading="each_limit"``): one cap on a facility's scale, stated in two units, so
exceeding either figure breaks it; this is also how "not more than 150 children or 10 classes" reads when the
negation covers both. The summary's wording can also be read as "either limit suffices"
(``hangzhou_reading="either_limit"``). When exactly one figure is exceeded the two readings differ, and the
message says so; under ``either_limit`` that case is a ``warning``. The limits apply when the facility's
jurisdiction is Hangzhou or a district under it, on or after the parameters' start date.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from ..core.messages import Message, msg
from ..core.registry import chain
from .findings import Draft, FindingOutcome, citation, count_parameter, finding
from .standards_input import StandardsInput

_EACH_OVER: Final[dict[tuple[str, bool], str]] = {
    ("children", True): "compliance.hangzhou.children_exceeded",
    ("classes", True): "compliance.hangzhou.classes_exceeded",
    ("children", False): "compliance.hangzhou.children_exceeded_classes_not_given",
}
"""Under ``each_limit``, one figure over its limit: the message by that figure and whether the classes are given."""
_EITHER_OVER: Final[dict[str, str]] = {
    "children": "compliance.hangzhou.either.children_exceeded",
    "classes": "compliance.hangzhou.either.classes_exceeded",
}
"""Under ``either_limit``, one figure over its limit and the other within: the warning by that figure."""


def _in_hangzhou(jurisdiction: str | None) -> bool:
    if jurisdiction is None:
        return False
    return any(p.id == "hangzhou" for p in chain(jurisdiction))


def _judge(data: StandardsInput, max_kids: int, max_classes: int) -> tuple[FindingOutcome, Message, str | None]:
    """The outcome, the message and the field concerned, for the figures given and the reading asked."""
    n_kids = data.total_children
    if n_kids is None:  # no children given, hence no classes either
        nothing = "compliance.hangzhou.nothing_given"
        if data.hangzhou_reading == "either_limit":
            nothing = "compliance.hangzhou.either.nothing_given"
        return "cannot_check", msg(nothing), "children"
    figures: dict[str, object] = {"children": n_kids, "max_children": max_kids}
    kids_over = n_kids > max_kids
    if not data.classes:  # the children are known, the classes not
        if data.hangzhou_reading == "either_limit":
            if kids_over:
                return "cannot_check", msg("compliance.hangzhou.either.classes_decide", **figures), "classes"
            return "ok", msg("compliance.hangzhou.either.within_classes_not_given", **figures), None
        if kids_over:
            return "breach", msg(_EACH_OVER["children", False], **figures, other_reading="either_limit"), "children"
        return "cannot_check", msg("compliance.hangzhou.classes_not_given", **figures), "classes"
    figures |= {"classes": len(data.classes), "max_classes": max_classes}
    classes_over = len(data.classes) > max_classes
    if kids_over and classes_over:
        return "breach", msg("compliance.hangzhou.both_exceeded", **figures), None
    over = "children" if kids_over else "classes" if classes_over else None
    if data.hangzhou_reading == "each_limit":
        if over is not None:
            return "breach", msg(_EACH_OVER[over, True], **figures, other_reading="either_limit"), over
        return "ok", msg("compliance.hangzhou.within", **figures), None
    if over is not None:  # either_limit: kept when at least one figure is within its limit
        return "warning", msg(_EITHER_OVER[over], **figures), over
    return "ok", msg("compliance.hangzhou.either.within", **figures), None


def hangzhou_findings(data: StandardsInput, on: dt.date) -> list[Draft]:
    """Hangzhou's size limits for a facility in Hangzhou (none elsewhere, or for a family point), on ``on``."""
    rule = "hangzhou.facility_limits"
    if data.setting != "facility" or not _in_hangzhou(data.jurisdiction):
        return []
    cites = (citation("hangzhou", "hangzhou.facility_limits_2022"),)
    kids = count_parameter("hangzhou", f"{rule}.max_children", on)
    classes = count_parameter("hangzhou", f"{rule}.max_classes", on)
    if kids is None or classes is None:
        return [finding(rule, "not_applicable", msg("compliance.hangzhou.not_in_force", on=on), cites, None)]
    (max_kids, u1), (max_classes, u2) = kids, classes
    outcome, message, concerns = _judge(data, max_kids, max_classes)
    return [finding(rule, outcome, message, cites, concerns, (u1, u2))]
