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

from ..core.registry import chain
from .findings import Finding, citation, count_parameter, finding, plural
from .standards_input import StandardsInput


def _in_hangzhou(jurisdiction: str | None) -> bool:
    if jurisdiction is None:
        return False
    return any(p.id == "hangzhou" for p in chain(jurisdiction))


def hangzhou_findings(data: StandardsInput, on: dt.date) -> list[Finding]:
    """Hangzhou's size limits for a facility in Hangzhou (none elsewhere, or for a family point), on ``on``."""
    rule = "hangzhou.facility_limits"
    if data.setting != "facility" or not _in_hangzhou(data.jurisdiction):
        return []
    cites = (citation("hangzhou", "hangzhou.facility_limits_2022"),)
    kids = count_parameter("hangzhou", f"{rule}.max_children", on)
    classes = count_parameter("hangzhou", f"{rule}.max_classes", on)
    if kids is None or classes is None:
        return [
            finding(
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
            f"{plural(n_kids, 'child', 'children')} (limit {max_kids})" if n_kids is not None else "children not given",
            f"{plural(n_classes, 'class', 'classes')} (limit {max_classes})"
            if n_classes is not None
            else "classes not given",
        )
    )
    over = [name for name, flag in flags if flag]
    within = [name for name, flag in flags if flag is False]
    unknown = [name for name, flag in flags if flag is None]
    if len(over) == 2:
        return [finding(rule, "breach", f"{stated}: both Hangzhou limits are exceeded", cites, None, uses)]
    if data.hangzhou_reading == "each_limit":
        if over:
            return [
                finding(
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
                finding(
                    rule,
                    "cannot_check",
                    f"{stated}: the {' and '.join(unknown)} limit cannot be checked",
                    cites,
                    unknown[0],
                    uses,
                )
            ]
        return [finding(rule, "ok", f"{stated}: within both Hangzhou limits", cites, None, uses)]
    # either_limit: kept when at least one figure is known to be within its limit.
    if over and within:
        return [
            finding(
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
        return [finding(rule, "ok", f"{stated}: within the limit (either limit suffices)", cites, None, uses)]
    return [
        finding(
            rule,
            "cannot_check",
            f"{stated}: under the reading 'either limit suffices' the {' and '.join(unknown)} decide it",
            cites,
            unknown[0],
            uses,
        )
    ]
