"""Union money for childcare in Chengdu (seed 003, 四、工作措施（四）切实做好经费保障和规范管理).

Every rule has a test that breaks it and one that keeps it; each docstring quotes the clause.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from tuoyu_rules.compliance import (
    SPENDING_CATEGORIES,
    ComplianceReport,
    SpendingItem,
    UnionSpendingPlan,
    check_union_spending,
)

P = "chengdu.union_fund_rules."
SEED003 = "成都市总工会: 关于积极推动有条件的用人单位为职工提供托育服务的工作方案"
"""Seed 003 (file 003_19185ccd5e50f847.txt), as citations name it: by its issuer and title."""


def item(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "category": "childcare_service",
        "amount": "12000",
        "payee": "childcare_provider",
        "settlement": "bank_transfer",
        "description": "places at the operator",
    }
    base.update(over)
    return base


def plan(*items: dict[str, Any], **over: Any) -> UnionSpendingPlan:
    data: dict[str, Any] = {
        "items": list(items) if items else [item()],
        "budget": "50000",
        "work_plan": True,
        "collective_decision": True,
    }
    data.update(over)
    return UnionSpendingPlan.model_validate(data)


def check(*items: dict[str, Any], **over: Any) -> ComplianceReport:
    return check_union_spending(plan(*items, **over))


def cites(report: ComplianceReport, rule: str) -> set[str]:
    return {c.id for f in report.for_rule(P + rule) for c in f.citations}


# -- a clean plan -------------------------------------------------------------------------------------------


def test_clean_plan_has_no_breach_but_is_not_confirmed_because_of_the_eight_prohibitions() -> None:
    """A plan keeping every checkable rule is not reported compliant=True: the 八不准 cannot be checked."""
    report = check()
    assert report.breaches == ()
    assert report.compliant is None
    assert report.outcomes(P + "eight_prohibitions") == ("cannot_check",)


def test_every_finding_cites_its_clause_and_the_notice_as_the_plan_quotes_it() -> None:
    """Each finding cites seed 003 and 工女字〔2023〕7号 as quoted by the plan (chengdu.fund_basis)."""
    report = check()
    for f in report.findings:
        assert f.citations[0].source == SEED003
        assert f.citations[-1].id == "chengdu.fund_basis"
        assert "工女字〔2023〕7号" in (f.citations[-1].quote or "")
        assert f.confidence == "official"
    basis = tr.get_policy("chengdu").citations["chengdu.fund_basis"]
    assert basis in report.findings[0].citations


# -- 专款专用 ---------------------------------------------------------------------------------------------------


def test_earmarked_kept_by_childcare_services() -> None:
    """「专项补助经费要专款专用」: childcare services keep the earmark."""
    report = check(item(), item(amount="3000"))
    assert report.outcomes(P + "earmarked") == ("ok",)
    assert cites(report, "earmarked") >= {"chengdu.fund_earmarked", "chengdu.fund_no_diverting"}


@pytest.mark.parametrize(
    "category", ["equipment", "office", "bonus", "allowance", "communication_equipment", "direct_subsidy_to_workers"]
)
def test_earmarked_broken_by_spending_on_something_else(category: str) -> None:
    """「专款专用」「不得改变用途，不得随意扩大使用范围」: a non-childcare item breaks the earmark."""
    report = check(item(), item(category=category, payee="supplier"))
    (finding,) = report.for_rule(P + "earmarked")
    assert finding.outcome == "breach"
    assert finding.concerns == "items[1].category"
    assert report.compliant is False


@pytest.mark.parametrize("category", ["childcare_equipment", "other"])
def test_earmarked_cannot_be_checked_for_childcare_equipment_or_other(category: str) -> None:
    """「专款专用」: the sources do not say whether childcare equipment counts; 'other' says nothing."""
    report = check(item(category=category, payee="supplier"))
    assert report.outcomes(P + "earmarked") == ("cannot_check",)
    assert report.compliant is None


# -- no cash, no commercial prepaid cards -------------------------------------------------------------------


@pytest.mark.parametrize("settlement", ["bank_transfer", "invoice"])
def test_no_cash_kept_by_transfers_and_invoices(settlement: str) -> None:
    """「严禁以直接发放现金或商业预付卡方式结算相关费用」: a transfer or invoice keeps it."""
    report = check(item(settlement=settlement))
    assert report.outcomes(P + "no_cash") == ("ok",)
    assert cites(report, "no_cash") >= {"chengdu.fund_no_cash_or_prepaid_cards"}


@pytest.mark.parametrize("settlement", ["cash", "commercial_prepaid_card"])
def test_no_cash_broken_by_cash_or_commercial_prepaid_cards(settlement: str) -> None:
    """「严禁以直接发放现金或商业预付卡方式结算相关费用」: cash or a commercial prepaid card breaks it."""
    report = check(item(), item(settlement=settlement))
    (finding,) = report.for_rule(P + "no_cash")
    assert finding.outcome == "breach"
    assert finding.concerns == "items[1].settlement"


@pytest.mark.parametrize("settlement", ["prepaid_card", "other"])
def test_no_cash_cannot_be_checked_for_a_card_of_unstated_kind(settlement: str) -> None:
    """「商业预付卡」: only commercial prepaid cards are named; a card of unstated kind cannot be checked."""
    report = check(item(settlement=settlement))
    assert report.outcomes(P + "no_cash") == ("cannot_check",)


# -- no office costs, bonuses, allowances, communication equipment -----------------------------------------


def test_no_office_costs_kept_by_childcare_services() -> None:
    """「严禁用于列支办公费、奖金、津补贴、通讯设备等方面支出」: childcare services keep it."""
    report = check()
    assert report.outcomes(P + "no_office_costs") == ("ok",)


@pytest.mark.parametrize("category", ["office", "bonus", "allowance", "communication_equipment"])
def test_no_office_costs_broken(category: str) -> None:
    """「严禁用于列支办公费、奖金、津补贴、通讯设备等方面支出」: each of the four breaks it."""
    report = check(item(category=category, payee="supplier"))
    (finding,) = report.for_rule(P + "no_office_costs")
    assert finding.outcome == "breach"
    assert finding.concerns == "items[0].category"
    assert cites(report, "no_office_costs") >= {"chengdu.fund_no_office_costs"}


def test_general_equipment_is_not_an_office_cost_but_breaks_the_earmark() -> None:
    """「通讯设备」 names communication equipment only; other equipment breaks 专款专用 instead."""
    report = check(item(category="equipment", payee="supplier"))
    assert report.outcomes(P + "no_office_costs") == ("ok",)
    assert report.outcomes(P + "earmarked") == ("breach",)


# -- no disguised allowances ----------------------------------------------------------------------------------


def test_no_disguised_allowances_kept_when_the_provider_is_paid() -> None:
    """「严禁将购买托育服务变相为滥发津贴、补贴」: paying the provider for the service keeps it."""
    report = check()
    assert report.outcomes(P + "no_disguised_allowances") == ("ok",)


def test_no_disguised_allowances_broken_when_childcare_money_goes_to_the_worker() -> None:
    """「严禁将购买托育服务变相为滥发津贴、补贴」: a childcare-service item paid to a worker breaks it."""
    report = check(item(payee="worker"))
    (finding,) = report.for_rule(P + "no_disguised_allowances")
    assert finding.outcome == "breach"
    assert finding.concerns == "items[0].payee"
    assert cites(report, "no_disguised_allowances") >= {"chengdu.fund_no_disguised_allowances"}


# -- no direct subsidies to workers ----------------------------------------------------------------------------


def test_no_direct_subsidies_kept() -> None:
    """「不得直接用工会经费为职工发放补贴」: nothing paid to workers keeps it."""
    assert check().outcomes(P + "no_direct_subsidies") == ("ok",)


def test_no_direct_subsidies_broken_by_the_category() -> None:
    """「不得直接用工会经费为职工发放补贴」: a direct subsidy to workers breaks it."""
    report = check(item(category="direct_subsidy_to_workers", payee="worker"))
    (finding,) = report.for_rule(P + "no_direct_subsidies")
    assert finding.outcome == "breach"
    assert finding.concerns == "items[0].category"
    assert cites(report, "no_direct_subsidies") >= {"chengdu.fund_no_direct_subsidies"}


def test_no_direct_subsidies_broken_by_any_payment_to_a_worker() -> None:
    """「不得直接用工会经费为职工发放补贴」: any item whose payee is a worker breaks it."""
    report = check(item(category="other", payee="worker"))
    assert report.outcomes(P + "no_direct_subsidies") == ("breach",)


# -- budget --------------------------------------------------------------------------------------------------------


def test_budget_kept_exactly_at_the_budget() -> None:
    """「不得无预算、超预算支出」: spending equal to the budget keeps it (exact Decimal sum)."""
    report = check(item(amount="0.10"), item(amount="0.20"), budget="0.30")
    assert report.outcomes(P + "budget") == ("ok",)
    assert cites(report, "budget") >= {"chengdu.fund_budget"}


def test_budget_broken_one_fen_over() -> None:
    """「不得…超预算支出」: one fen over the budget breaks it."""
    report = check(item(amount="30000.00"), item(amount="20000.01"), budget="50000")
    (finding,) = report.for_rule(P + "budget")
    assert finding.outcome == "breach"
    assert finding.explanation is not None
    assert finding.explanation.code == "compliance.spending.over_budget"
    assert finding.explanation.params == {"total": "50000.01", "over": "0.01", "budget": "50000.00"}
    assert "0.01 yuan over" in finding.message
    assert finding.concerns == "budget"


def test_budget_broken_without_a_budget() -> None:
    """「不得无预算…支出」: spending with no budget breaks it."""
    report = check(budget=None)
    assert report.outcomes(P + "budget") == ("breach",)
    explanation = report.for_rule(P + "budget")[0].explanation
    assert explanation is not None
    assert explanation.code == "compliance.spending.no_budget"


def test_no_budget_needed_when_nothing_is_spent() -> None:
    """「不得无预算…支出」: with no spending there is no spending without a budget."""
    report = check_union_spending(UnionSpendingPlan(items=(), budget=None, work_plan=True, collective_decision=True))
    assert report.outcomes(P + "budget") == ("ok",)


# -- work plan and collective decision ---------------------------------------------------------------------------


def test_work_plan_and_collective_decision_kept() -> None:
    """「应制定具体的工作方案…并经基层工会委员会集体决策等程序」: both present keep it."""
    report = check()
    assert report.outcomes(P + "work_plan") == ("ok",)
    assert report.outcomes(P + "collective_decision") == ("ok",)
    assert cites(report, "work_plan") >= {"chengdu.fund_work_plan"}


def test_work_plan_missing_is_a_breach() -> None:
    """「应制定具体的工作方案，明确托育服务的项目、标准等相关内容」: no written plan breaks it."""
    report = check(work_plan=False)
    assert report.outcomes(P + "work_plan") == ("breach",)
    assert report.outcomes(P + "collective_decision") == ("ok",)


def test_collective_decision_missing_is_a_breach() -> None:
    """「并经基层工会委员会集体决策等程序」: no collective decision breaks it."""
    report = check(collective_decision=False)
    assert report.outcomes(P + "collective_decision") == ("breach",)
    assert report.compliant is False


# -- 八不准 ----------------------------------------------------------------------------------------------------------


def test_eight_prohibitions_are_a_reminder_never_checked_item_by_item() -> None:
    """「严格执行工会经费使用“八不准”」: named, never listed in the sources; always cannot_check."""
    for report in (check(), check(item(settlement="cash"))):
        (finding,) = report.for_rule(P + "eight_prohibitions")
        assert finding.outcome == "cannot_check"
        assert finding.explanation is not None
        assert finding.explanation.code == "compliance.spending.eight_prohibitions"
        assert "八不准" in finding.message
        assert "cannot be checked item by item" in finding.message
        assert {c.id for c in finding.citations} >= {"chengdu.fund_eight_prohibitions"}


# -- input validation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"category": "coffee"}, "category"),
        ({"settlement": "cheque"}, "settlement"),
        ({"payee": "friend"}, "payee"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": True}, "amount"),
        ({"amont": "1"}, "amont"),
    ],
)
def test_bad_items_raise_naming_the_field(over: dict[str, Any], field: str) -> None:
    """Bad input is an error naming the field, never a finding."""
    with pytest.raises(ValidationError) as info:
        plan(item(**over))
    assert field in str(info.value)


def test_bad_plan_fields_raise() -> None:
    with pytest.raises(ValidationError, match="budget"):
        plan(budget=0.5)
    with pytest.raises(ValidationError, match="work_plan"):
        plan(work_plan="yes")
    with pytest.raises(ValidationError, match="collective_decision"):
        UnionSpendingPlan.model_validate({"items": [], "budget": None, "work_plan": True})


def test_models_are_frozen() -> None:
    p = plan()
    with pytest.raises(ValidationError):
        p.budget = Decimal("1")  # type: ignore[misc]
    assert p.total == Decimal("12000.00")


def test_report_dumps_to_json() -> None:
    data = check().model_dump(mode="json")
    assert data["compliant"] is None
    assert data["check"] == "union_spending"
    assert all("confidence" in f for f in data["findings"])


# -- properties ---------------------------------------------------------------------------------------------------

_amounts = st.integers(min_value=0, max_value=10_000_000).map(lambda fen: Decimal(fen) / 100)
_any_item = st.builds(
    SpendingItem,
    category=st.sampled_from(SPENDING_CATEGORIES),
    amount=_amounts,
    payee=st.sampled_from(["childcare_provider", "worker", "union", "employer", "supplier", "other"]),
    settlement=st.sampled_from(["bank_transfer", "invoice", "cash", "prepaid_card", "commercial_prepaid_card"]),
)


@given(items=st.lists(_any_item, max_size=6), extra=_amounts, settlement=st.sampled_from(["bank_transfer", "invoice"]))
def test_adding_an_allowed_item_within_budget_never_creates_a_breach(
    items: list[SpendingItem], extra: Decimal, settlement: str
) -> None:
    """Adding a childcare service paid to the provider by transfer, still within budget, adds no breach."""
    total = sum((i.amount for i in items), Decimal(0)) + extra
    before = UnionSpendingPlan(items=tuple(items), budget=total, work_plan=True, collective_decision=True)
    allowed = SpendingItem.model_validate(
        {"category": "childcare_service", "amount": extra, "payee": "childcare_provider", "settlement": settlement}
    )
    after = before.model_copy(update={"items": (*before.items, allowed)})
    after = UnionSpendingPlan.model_validate(after.model_dump())
    rules_before = {f.rule for f in check_union_spending(before).breaches}
    rules_after = {f.rule for f in check_union_spending(after).breaches}
    assert rules_after <= rules_before
    assert len(check_union_spending(after).breaches) == len(check_union_spending(before).breaches)


@given(items=st.lists(_any_item, max_size=6))
def test_compliant_is_false_exactly_when_there_is_a_breach(items: list[SpendingItem]) -> None:
    report = check_union_spending(
        UnionSpendingPlan(items=tuple(items), budget=None, work_plan=True, collective_decision=True)
    )
    assert (report.compliant is False) == bool(report.breaches)
    assert report.compliant is not True  # the 八不准 can never be confirmed


def test_a_mapping_is_validated_and_anything_else_is_refused() -> None:
    data = plan().model_dump()
    assert check_union_spending(data) == check_union_spending(plan())
    with pytest.raises(ValidationError, match="budget"):
        check_union_spending({**data, "budget": 1.5})
    with pytest.raises(tr.InvalidInput, match="plan"):
        check_union_spending([1, 2])  # type: ignore[arg-type]
