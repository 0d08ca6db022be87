"""Compliance findings: what a check found about one rule, with the clause it rests on.

A compliance check never raises for a compliance problem: it returns a :class:`ComplianceReport` whose
:class:`Finding` entries say, rule by rule, whether the input keeps or breaks the rule, or why it cannot be
checked. Bad *input* (a negative count, an unknown category, a float amount) is different: it raises a
pydantic ``ValidationError`` or :class:`~tuoyu_rules.core.errors.InvalidInput` naming the field.

Outcomes (a closed set):

``ok``
    the input keeps the rule.
``breach``
    the input breaks the rule.
``cannot_check``
    the rule cannot be decided from the input or from the sources (a fact is missing, or the sources do not
    state the rule's content, like the 八不准 whose items are not listed).
``in_progress``
    a target whose deadline has not passed is not met yet (not a breach before the deadline).
``warning``
    something to look at that is not a breach under the reading the check uses (the message says why).
``not_applicable``
    the rule does not apply to this input (not in force on the day, another jurisdiction).

:attr:`ComplianceReport.compliant` is ``False`` when any finding is a breach; otherwise ``None`` when any is
``cannot_check`` or ``in_progress`` (compliance cannot be confirmed); otherwise ``True``. Warnings and
not-applicable findings do not change it.

Every text is a coded message (``compliance.<topic>.<what>``, in ``compliance/messages.toml``): a finding's
``message`` is its text in the language asked (``lang="zh"`` or ``"en"``, English by default) and its
``explanation`` the same as data (code, parameters, both texts); a report's ``notes`` and ``explanation``
likewise.

The module also holds what the checks share: reading a citation or a count parameter from the data
(:func:`citation`, :func:`count_parameter`, :func:`require_count`), exact areas (:data:`SquareMetres`), a
finding before it is rendered (:func:`finding`, a :class:`Draft`) and the report made of drafts
(:func:`report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, computed_field
from pydantic_core import PydanticCustomError

from ..core.citations import Citation, Confidence, lowest_confidence
from ..core.errors import PolicyDataError
from ..core.messages import Explanation, Lang, Message, package_catalog, pick
from ..core.money import as_decimal
from ..core.parameters import ParameterUse
from ..core.registry import get_policy

FindingOutcome = Literal["ok", "breach", "cannot_check", "in_progress", "warning", "not_applicable"]
FINDING_OUTCOMES: Final[tuple[str, ...]] = ("ok", "breach", "cannot_check", "in_progress", "warning", "not_applicable")


class Finding(BaseModel):
    """One rule checked against one input (or one item of it), with its outcome, message and clause.

    ``rule`` is ``<programme id>.<rule>``, e.g. ``chengdu.union_fund_rules.no_cash``; ``concerns`` names the
    field or item the finding is about (``items[2].settlement``, ``classes[0].children``), or None for the
    input as a whole. ``citations`` are the clauses the rule rests on (never empty); ``confidence`` is
    ``secondary`` when any of them is.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=1)
    outcome: FindingOutcome
    message: str = Field(min_length=1)
    """What was found, as text in the language asked (``lang=``, English by default): ``explanation`` in it."""
    explanation: Explanation | None = None
    """The message as data: its stable ``code`` (``compliance.<topic>.<what>``), its ``params`` (strings) and both
    texts, ``zh`` and ``en``; the same whatever the language asked. Every check of the library sets it (None
    only for a finding built by hand, or stored before it existed)."""
    concerns: str | None = None
    citations: tuple[Citation, ...] = Field(min_length=1)
    parameters: tuple[ParameterUse, ...] = ()
    """The parameter values the check read (figures of the rule), with their citation ids."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def confidence(self) -> Confidence:
        """``secondary`` when any citation the finding rests on is secondary, else ``official``."""
        return lowest_confidence(self.citations)


class ComplianceReport(BaseModel):
    """The findings of one check (``check`` names it) and whether the input is compliant.

    ``compliant`` is ``False`` when any finding is a breach, ``None`` when none is but some rule could not
    be checked or a target is still in progress, ``True`` otherwise.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str = Field(min_length=1)
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    """Notes on the check as a whole, in the language asked."""
    explanation: tuple[Explanation, ...] = ()
    """The notes as data, parallel to ``notes``: code, params, ``zh`` and ``en``."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def compliant(self) -> bool | None:
        """False on any breach; None when something could not be checked or is in progress; else True."""
        outcomes = {f.outcome for f in self.findings}
        if "breach" in outcomes:
            return False
        if outcomes & {"cannot_check", "in_progress"}:
            return None
        return True

    def with_outcome(self, *outcomes: FindingOutcome) -> tuple[Finding, ...]:
        """The findings whose outcome is one of ``outcomes``, in report order."""
        return tuple(f for f in self.findings if f.outcome in outcomes)

    @property
    def breaches(self) -> tuple[Finding, ...]:
        return self.with_outcome("breach")

    def for_rule(self, rule: str) -> tuple[Finding, ...]:
        """The findings of one rule id, in report order."""
        return tuple(f for f in self.findings if f.rule == rule)

    def outcomes(self, rule: str) -> tuple[str, ...]:
        """The outcomes of one rule id's findings, in report order (handy in tests)."""
        return tuple(f.outcome for f in self.for_rule(rule))


# -- helpers shared by the checks --------------------------------------------------------------------------


def citation(jurisdiction: str, citation_id: str) -> Citation:
    """A citation of a registered jurisdiction's data; a missing one is a data error naming it."""
    policy = get_policy(jurisdiction)
    try:
        return policy.citations[citation_id]
    except KeyError:
        raise PolicyDataError(
            f"jurisdictions/{jurisdiction}.toml: compliance checks need the citation {citation_id!r}, which is missing"
        ) from None


def count_parameter(jurisdiction: str, name: str, on: dt.date) -> tuple[int, ParameterUse] | None:
    """The ``count`` value of a parameter in force on ``on`` and a record of its use; None if none is."""
    policy = get_policy(jurisdiction)
    try:
        param = policy.parameters[name]
    except KeyError:
        raise PolicyDataError(
            f"jurisdictions/{jurisdiction}.toml: compliance checks need the parameter {name!r}, which is missing"
        ) from None
    value = param.value_on(on)
    if value is None:
        return None
    if value.kind != "count" or not isinstance(value.value, int):
        raise PolicyDataError(
            f"jurisdictions/{jurisdiction}.toml: parameter {name!r} must be a count, not {value.kind}"
        )
    use = ParameterUse(name=name, value=value.render(), period=value.period(), citations=value.cites)
    return value.value, use


def require_count(jurisdiction: str, name: str, on: dt.date) -> tuple[int, ParameterUse]:
    """Like :func:`count_parameter`, for a parameter that must have a value on every day."""
    found = count_parameter(jurisdiction, name, on)
    if found is None:
        raise PolicyDataError(f"jurisdictions/{jurisdiction}.toml: parameter {name!r} has no value on {on.isoformat()}")
    return found


def _exact_decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "exact_decimal",
            "{kind} is not an exact number; pass an int, a str such as '12.5', or a Decimal",
            {"kind": type(value).__name__},
        )
    number = as_decimal(value)
    if number is None and isinstance(value, str):
        raise PydanticCustomError("exact_decimal", "'{text}' is not a number", {"text": value[:40]})
    if number is None:
        raise PydanticCustomError("exact_decimal", "{kind} is not a number", {"kind": type(value).__name__})
    if not number.is_finite() or number <= 0 or number > Decimal(10) ** 9:
        raise PydanticCustomError(
            "exact_decimal", "{value} must be a finite number above 0 and at most 1,000,000,000", {"value": str(value)}
        )
    return number


SquareMetres = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json"),
]
"""An exact positive area in square metres (m²): int, str or Decimal; floats and bools are refused."""


class Draft(NamedTuple):
    """A finding before it is rendered: its message is a :class:`~tuoyu_rules.core.messages.Message`."""

    rule: str
    outcome: FindingOutcome
    message: Message
    cites: tuple[Citation, ...]
    concerns: str | None = None
    uses: tuple[ParameterUse, ...] = ()


def finding(
    rule: str,
    outcome: FindingOutcome,
    message: Message,
    cites: tuple[Citation, ...],
    concerns: str | None,
    uses: tuple[ParameterUse, ...] = (),
) -> Draft:
    """A :class:`Draft`, its fields given in order (the facility standards checks build many)."""
    return Draft(rule, outcome, message, cites, concerns, uses)


def report(check: str, drafts: Iterable[Draft], notes: Iterable[Message], lang: Lang) -> ComplianceReport:
    """The report of ``check``: each draft rendered (``message`` in ``lang``, ``explanation`` in both), and the
    notes likewise, from the catalog ``compliance/messages.toml``."""
    catalog = package_catalog("tuoyu_rules.compliance")
    findings: list[Finding] = []
    for d in drafts:
        explained = catalog.explain(d.message)
        findings.append(
            Finding(
                rule=d.rule,
                outcome=d.outcome,
                message=explained.text(lang),
                explanation=explained,
                concerns=d.concerns,
                citations=d.cites,
                parameters=d.uses,
            )
        )
    noted = tuple(catalog.explain(n) for n in notes)
    return ComplianceReport(check=check, findings=tuple(findings), notes=pick(noted, lang), explanation=noted)
