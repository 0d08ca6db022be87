"""Schedules and targets: Hangzhou's health-guidance visits and Chengdu's demonstration and pilot targets.

Health guidance (``hangzhou.health_guidance``, seed 000: 每2个月至少到现场进行儿童保健、膳食营养、疾病防控等技术
指导1次). What "a stretch of more than two months without a visit" means here, precisely:

* The *anchors* are ``start``, every visit (sorted, duplicates counted once), and ``end``. ``start`` counts
  as an anchor because the obligation runs from the start of the period (as if the clock started then).
* From an anchor ``a``, the next visit is due by ``a + relativedelta(months=2)`` (python-dateutil: the same
  day of the month two months on, or that month's last day when it is shorter: 31 December -> 28 or 29
  February; 30 June -> 30 August).
* A *gap* is a pair of consecutive anchors ``a`` (``start`` or a visit) and ``b`` (a visit, or ``end``) with
  ``b > due(a)``: there was no visit on any day from ``a`` (exclusive) to ``due(a)`` (inclusive). A visit
  exactly two months after the previous one (or after ``start``) is on time; two months and one day later
  is a gap. Towards ``end``: when ``end > due(last anchor)``, the stretch from the last visit (or ``start``)
  to ``end`` is a gap with ``closed=False`` (the visit had not come by ``end``); when ``end <= due``, the
  visit is not yet overdue and nothing is reported.
* Visits must lie inside ``[start, end]``; a visit outside it is an input error, not ignored.

Gaps are therefore ordered, never overlap (they share at most an anchor) and each is longer than two
months. The interval (2) and the visits per interval (1) are read from the data
(``hangzhou.health_guidance.interval_months`` / ``.min_visits``).

Chengdu's targets (``chengdu.targets``, seed 003, 三、工作任务): 到2025年底，全市建成不少于10家用人单位市级爱心
托育示范点; 每个区（市）县总工会（办事处）推动至少1个以上用人单位开展爱心托育服务试点工作. Both figures are read
from the data. The deadline (2025-12-31, 到2025年底) is stated in the sentence on demonstration sites; the
pilots sentence follows it in the same task list of the same plan, whose targets run to the end of 2025, so
the same deadline is used for both (a reading, documented). Before or on the deadline a shortfall is
``in_progress``; after it, a ``breach``; a target met is ``ok``. The list of district and county unions is
the caller's (the sources do not list Chengdu's districts): districts missing from the input are not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from ..core.errors import InvalidInput, PolicyDataError
from ..core.messages import Lang, Message, check_lang, msg
from ..core.models import MAX_PLACES
from ..core.money import in_money_context
from .findings import ComplianceReport, Draft, FindingOutcome, citation, report, require_count

CHENGDU_TARGET_DEADLINE: Final = dt.date(2025, 12, 31)
"""到2025年底 (chengdu.seed_target_sites): the end of 2025."""

_MAX_VISITS = 100_000
_NOT_A_DATE = "{value} is not a date (YYYY-MM-DD)"
"""The problem of a day that is not a ``datetime.date`` (``error.schedule.not_a_date``)."""

_GAP: Final[dict[tuple[bool, bool], str]] = {
    (True, True): "compliance.guidance.gap_after_visit",
    (False, True): "compliance.guidance.gap_after_start",
    (True, False): "compliance.guidance.open_after_visit",
    (False, False): "compliance.guidance.open_after_start",
}
"""A gap's message by (it starts from a visit, a visit closed it)."""


class GuidanceGap(BaseModel):
    """A stretch of more than two months without an on-site health-guidance visit.

    ``after`` is the anchor the stretch starts from (``start`` or a visit: ``after_visit`` says which);
    ``due`` is the last day the next visit was due; ``until`` is the next visit, or ``end`` when no visit
    came by then (``closed`` False); ``days_overdue`` is ``until - due`` in days (at least 1).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    after: dt.date
    after_visit: bool
    due: dt.date
    until: dt.date
    closed: bool
    days_overdue: int = Field(ge=1)


def _guidance_figures(on: dt.date) -> tuple[int, tuple[str, ...]]:
    months, use = require_count("hangzhou", "hangzhou.health_guidance.interval_months", on)
    visits, use2 = require_count("hangzhou", "hangzhou.health_guidance.min_visits", on)
    if visits != 1 or months < 1:
        raise PolicyDataError(
            "jurisdictions/hangzhou.toml: the health-guidance check supports at least 1 visit per interval of "
            f"1 or more months; the data says {visits} per {months}"
        )
    return months, (use.value, use2.value)


def _check_dates(visits: Sequence[dt.date], start: dt.date, end: dt.date) -> list[dt.date]:
    for name, day in (("start", start), ("end", end)):
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise InvalidInput.coded(name, "error.schedule.not_a_date", _NOT_A_DATE, value=repr(day))
    if end < start:
        problem = "{end} is before start {start}"
        raise InvalidInput.coded("end", "error.schedule.end_before_start", problem, end=end, start=start)
    if isinstance(visits, str | bytes) or not isinstance(visits, Sequence):
        raise InvalidInput.coded("visits", "error.schedule.visits_type", "must be a sequence of dates")
    if len(visits) > _MAX_VISITS:
        problem = "{count} visits is more than the {max} accepted"
        raise InvalidInput.coded("visits", "error.schedule.too_many", problem, count=len(visits), max=_MAX_VISITS)
    for i, day in enumerate(visits):
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise InvalidInput.coded(f"visits[{i}]", "error.schedule.not_a_date", _NOT_A_DATE, value=repr(day))
        if not start <= day <= end:
            problem = "{day} lies outside the period {start} to {end} (health-guidance visits, 每2个月至少…技术指导1次)"
            period = {"start": start, "end": end}
            raise InvalidInput.coded(f"visits[{i}]", "error.schedule.outside", problem, day=day, **period)
    return sorted(set(visits))


@in_money_context
def health_guidance_gaps(
    visits: Sequence[dt.date], *, start: dt.date, end: dt.date, lang: Lang = "en"
) -> tuple[GuidanceGap, ...]:
    """Every stretch of more than two months without a visit in ``[start, end]`` (Hangzhou's 每2个月至少…1次).

    See the module docstring for the exact definition at the edges. A gap holds dates, not text: ``lang`` is
    checked (``"zh"`` or ``"en"``) like every check's, and :func:`check_health_guidance` says each gap in it.

    >>> import datetime as dt
    >>> gaps = health_guidance_gaps([dt.date(2024, 3, 1)], start=dt.date(2023, 12, 31), end=dt.date(2024, 4, 30))
    >>> [(g.after.isoformat(), g.due.isoformat(), g.until.isoformat()) for g in gaps]
    [('2023-12-31', '2024-02-29', '2024-03-01')]
    """
    check_lang(lang)
    days = _check_dates(visits, start, end)
    months, _ = _guidance_figures(start)
    step = relativedelta(months=months)
    gaps: list[GuidanceGap] = []
    anchors: list[tuple[dt.date, bool]] = [(start, False), *((d, True) for d in days)]
    if days and days[0] == start:
        anchors = anchors[1:]  # a visit on the first day is the first anchor itself
    for (a, is_visit), nxt in zip(anchors, [*(d for d, _ in anchors[1:]), None], strict=True):
        due: dt.date = a + step
        until = end if nxt is None else nxt
        if until > due:
            gaps.append(
                GuidanceGap(
                    after=a,
                    after_visit=is_visit,
                    due=due,
                    until=until,
                    closed=nxt is not None,
                    days_overdue=(until - due).days,
                )
            )
    return tuple(gaps)


@in_money_context
def check_health_guidance(
    visits: Sequence[dt.date], *, start: dt.date, end: dt.date, lang: Lang = "en"
) -> ComplianceReport:
    """Hangzhou's on-site health guidance as findings: one breach per gap, or one ``ok`` finding. ``lang`` is the
    language of each finding's ``message``, ``"zh"`` or ``"en"`` (the default); its ``explanation`` has both."""
    lang = check_lang(lang)
    gaps = health_guidance_gaps(visits, start=start, end=end)
    months, _ = _guidance_figures(start)
    rule = "hangzhou.health_guidance.interval"
    cites = (citation("hangzhou", "hangzhou.seed_health_guidance"),)
    uses = tuple(
        require_count("hangzhou", f"hangzhou.health_guidance.{n}", start)[1] for n in ("interval_months", "min_visits")
    )
    drafts: list[Draft] = []
    for gap in gaps:
        message = msg(
            _GAP[gap.after_visit, gap.closed],
            after=gap.after,
            until=gap.until,
            due=gap.due,
            late=gap.days_overdue,
            months=months,
        )
        drafts.append(Draft(rule, "breach", message, cites, "visits", uses))
    if not drafts:
        kept = msg("compliance.guidance.kept", visits=len(set(visits)), start=start, end=end, months=months)
        drafts.append(Draft(rule, "ok", kept, cites, "visits", uses))
    return report("health_guidance", drafts, (), lang)


# -- Chengdu's targets -----------------------------------------------------------------------------------


def _count_arg(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        problem = "{value} must be a whole number (int), not {type}"
        raise InvalidInput.coded(
            name, "error.schedule.count_type", problem, value=repr(value), type=type(value).__name__
        )
    if not 0 <= value <= MAX_PLACES:
        problem = "{value} must be from 0 to {max}"
        raise InvalidInput.coded(name, "error.schedule.count", problem, value=value, max=MAX_PLACES)
    return value


@in_money_context
def chengdu_target_progress(
    sites_by_district: Mapping[str, int], *, city_demonstration_sites: int, on: dt.date, lang: Lang = "en"
) -> ComplianceReport:
    """Progress on ``on`` against Chengdu's targets: at least 10 city demonstration sites by the end of 2025,
    and at least one employer pilot promoted by each district or county union (``sites_by_district``: district
    or county union -> pilots). Before or on 2025-12-31 a shortfall is ``in_progress``; after it, a breach.
    ``lang`` is the language of the findings' messages and the notes, ``"zh"`` or ``"en"`` (the default).

    >>> import datetime as dt
    >>> r = chengdu_target_progress({"武侯区": 1, "锦江区": 0}, city_demonstration_sites=10, on=dt.date(2026, 1, 1))
    >>> [(f.concerns, f.outcome) for f in r.findings]
    [('city_demonstration_sites', 'ok'), ('sites_by_district[武侯区]', 'ok'), ('sites_by_district[锦江区]', 'breach')]
    """
    lang = check_lang(lang)
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise InvalidInput.coded("on", "error.schedule.not_a_date", _NOT_A_DATE, value=repr(on))
    city = _count_arg("city_demonstration_sites", city_demonstration_sites)
    if not isinstance(sites_by_district, Mapping):
        problem = "must be a mapping of district or county union -> pilots"
        raise InvalidInput.coded("sites_by_district", "error.schedule.sites_type", problem)
    districts: dict[str, int] = {}
    for name, n in sites_by_district.items():
        if not isinstance(name, str) or not name.strip():
            problem = "{value} is not a district or county name"
            raise InvalidInput.coded("sites_by_district", "error.schedule.district", problem, value=repr(name))
        districts[name] = _count_arg(f"sites_by_district[{name}]", n)
    target_sites, use_sites = require_count("chengdu", "chengdu.targets.demonstration_sites", on)
    target_pilots, use_pilots = require_count("chengdu", "chengdu.targets.pilots_per_district", on)
    deadline_cite = citation("chengdu", "chengdu.seed_target_sites")
    pilots_cite = citation("chengdu", "chengdu.seed_target_pilots")
    late = on > CHENGDU_TARGET_DEADLINE
    short: FindingOutcome = "breach" if late else "in_progress"
    deadline = CHENGDU_TARGET_DEADLINE
    drafts: list[Draft] = []
    rule = "chengdu.targets.demonstration_sites"
    where = "city_demonstration_sites"
    if city >= target_sites:
        met = msg("compliance.targets.sites_met", city=city, target=target_sites)
        drafts.append(Draft(rule, "ok", met, (deadline_cite,), where, (use_sites,)))
    else:
        figures = {"city": city, "short": target_sites - city, "target": target_sites, "deadline": deadline}
        if late:
            behind = msg("compliance.targets.sites_short_late", **figures)
        else:
            behind = msg("compliance.targets.sites_short", **figures)
        drafts.append(Draft(rule, short, behind, (deadline_cite,), where, (use_sites,)))
    rule = "chengdu.targets.pilots_per_district"
    for name in sorted(districts):
        n = districts[name]
        message: Message
        if n >= target_pilots:
            outcome: FindingOutcome = "ok"
            message = msg("compliance.targets.pilots_met", district=name, pilots=n, target=target_pilots)
        elif late:
            outcome = short
            message = msg(
                "compliance.targets.pilots_short_late", district=name, pilots=n, target=target_pilots, deadline=deadline
            )
        else:
            outcome = short
            message = msg(
                "compliance.targets.pilots_short", district=name, pilots=n, target=target_pilots, deadline=deadline
            )
        where = f"sites_by_district[{name}]"
        drafts.append(Draft(rule, outcome, message, (pilots_cite, deadline_cite), where, (use_pilots,)))
    if not districts:
        unknown = msg("compliance.targets.no_districts")
        drafts.append(Draft(rule, "cannot_check", unknown, (pilots_cite,), "sites_by_district", (use_pilots,)))
    notes = (
        msg("compliance.targets.note.deadline", deadline=deadline),
        msg("compliance.targets.note.districts"),
    )
    return report("chengdu_targets", drafts, notes, lang)
