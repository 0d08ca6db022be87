"""The common finding and report models of the compliance checks, and the checks' doctests."""

from __future__ import annotations

import doctest
import types

import pytest
from pydantic import ValidationError

import tuoyu_rules as tr
import tuoyu_rules.compliance.schedule
import tuoyu_rules.compliance.spending
import tuoyu_rules.compliance.standards
from tuoyu_rules.compliance import FINDING_OUTCOMES, ComplianceReport, Finding, FindingOutcome


def finding(outcome: FindingOutcome, cite: str = "chengdu.fund_budget", jid: str = "chengdu") -> Finding:
    return Finding(rule="x.y", outcome=outcome, message="m", citations=(tr.get_policy(jid).citations[cite],))


@pytest.mark.parametrize(
    ("outcomes", "compliant"),
    [
        ((), True),
        (("ok",), True),
        (("ok", "warning", "not_applicable"), True),
        (("ok", "cannot_check"), None),
        (("ok", "in_progress"), None),
        (("cannot_check", "breach"), False),
        (("in_progress", "breach", "ok"), False),
    ],
)
def test_compliant_is_false_on_breach_none_when_unconfirmed(
    outcomes: tuple[FindingOutcome, ...], compliant: bool | None
) -> None:
    report = ComplianceReport(check="c", findings=tuple(finding(o) for o in outcomes))
    assert report.compliant is compliant
    assert report.model_dump(mode="json")["compliant"] is compliant


def test_outcomes_are_a_closed_set() -> None:
    assert set(FINDING_OUTCOMES) == {"ok", "breach", "cannot_check", "in_progress", "warning", "not_applicable"}
    with pytest.raises(ValidationError, match="outcome"):
        finding("fine")  # type: ignore[arg-type]


def test_a_finding_needs_a_citation_and_is_frozen() -> None:
    with pytest.raises(ValidationError, match="citations"):
        Finding(rule="x", outcome="ok", message="m", citations=())
    f = finding("ok")
    with pytest.raises(ValidationError):
        f.outcome = "breach"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        Finding.model_validate({"rule": "x", "outcome": "ok", "message": "m", "citations": f.citations, "x": 1})


def test_confidence_is_the_lowest_of_the_citations() -> None:
    assert finding("ok").confidence == "official"
    assert finding("ok", "cn.facility_standard", "cn").confidence == "secondary"


@pytest.mark.parametrize(
    "module",
    [tuoyu_rules.compliance.schedule, tuoyu_rules.compliance.spending, tuoyu_rules.compliance.standards],
)
def test_doctests(module: types.ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
