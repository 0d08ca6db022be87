"""What a union plans to spend on childcare (Chengdu's union-funds rules): the plan and its items.

:class:`UnionSpendingPlan` and :class:`SpendingItem` are the input of
:func:`~tuoyu_rules.compliance.spending.check_union_spending`; each item's category, payee and settlement
is one of a closed set (:data:`SPENDING_CATEGORIES`, :data:`PAYEES`, :data:`SETTLEMENTS`), so the checks
can judge it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..core.money import Money, in_money_context

SpendingCategory = Literal[
    "childcare_service",
    "childcare_equipment",
    "equipment",
    "office",
    "bonus",
    "allowance",
    "communication_equipment",
    "direct_subsidy_to_workers",
    "other",
]
"""What an item pays for (a closed set):

* ``childcare_service`` 托育服务: care for workers' children, bought from or paid to a provider (places, the
  operator's service fee), or run by the union itself;
* ``childcare_equipment``: equipment or supplies used only in the childcare service (cots, toys); whether the
  special subsidy may pay for them is not stated in the sources (``cannot_check``);
* ``equipment``: other equipment, not for childcare;
* ``office`` 办公费: office costs;
* ``bonus`` 奖金: bonuses;
* ``allowance`` 津补贴: allowances and subsidies to staff;
* ``communication_equipment`` 通讯设备: phones and other communication equipment;
* ``direct_subsidy_to_workers``: a subsidy paid from union funds straight to workers (直接为职工发放补贴);
* ``other``: anything else (cannot be checked against the earmark: say what it is).
"""
SPENDING_CATEGORIES: Final[tuple[str, ...]] = SpendingCategory.__args__  # type: ignore[attr-defined]

Settlement = Literal["bank_transfer", "invoice", "cash", "prepaid_card", "commercial_prepaid_card", "other"]
"""How an item is settled (a closed set):

* ``bank_transfer``: a transfer from the union's (or employer's) account to the payee's account;
* ``invoice``: paid to the provider against its invoice (凭票结算) by a non-cash means;
* ``cash`` 现金: cash handed out (banned);
* ``prepaid_card``: a prepaid or stored-value card whose kind is not stated (``cannot_check``: only
  commercial prepaid cards are named by the source);
* ``commercial_prepaid_card`` 商业预付卡: a commercial prepaid card (banned);
* ``other``: anything else (``cannot_check``).
"""
SETTLEMENTS: Final[tuple[str, ...]] = Settlement.__args__  # type: ignore[attr-defined]

Payee = Literal["childcare_provider", "worker", "union", "employer", "supplier", "other"]
"""Who receives the money (a closed set): a ``childcare_provider`` (托育机构, the third-party operator), a
``worker`` (职工, or the worker's family), the ``union`` itself, the ``employer``, a ``supplier`` of goods,
or ``other``."""
PAYEES: Final[tuple[str, ...]] = Payee.__args__  # type: ignore[attr-defined]


class SpendingItem(BaseModel):
    """One item of a union's childcare spending plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: SpendingCategory
    amount: Money
    payee: Payee
    settlement: Settlement
    description: str = Field(default="", max_length=500)
    payee_name: str | None = Field(default=None, max_length=200)


class UnionSpendingPlan(BaseModel):
    """A grassroots union's plan to spend union funds (or the special subsidy) on childcare.

    ``budget`` is the budgeted sum for these items (``None``: there is no budget); ``work_plan`` says a
    written work plan states the childcare items and standards (工作方案，明确托育服务的项目、标准);
    ``collective_decision`` says the union committee decided it collectively (基层工会委员会集体决策).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[SpendingItem, ...] = Field(max_length=10_000)
    budget: Money | None
    work_plan: StrictBool
    collective_decision: StrictBool

    @property
    @in_money_context
    def total(self) -> Decimal:
        """The exact sum of the items' amounts."""
        return sum((item.amount for item in self.items), Decimal("0.00"))
