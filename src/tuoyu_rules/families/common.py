"""What the families modules share: the exact zero amount and the configuration of their result models."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from pydantic import ConfigDict

ZERO: Final = Decimal("0.00")
"""Zero yuan, to the fen."""

MODEL: Final = ConfigDict(frozen=True, extra="forbid")
"""The families results are frozen and take no unknown field."""
