"""What the families modules share: the exact zero amount, the configuration of their result models, and their
catalog of messages (``families/messages.toml``, codes ``families.<topic>.<what>``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from pydantic import ConfigDict

from ..core.messages import Catalog, Explanation, Lang, Message, package_catalog, pick

ZERO: Final = Decimal("0.00")
"""Zero yuan, to the fen."""

MODEL: Final = ConfigDict(frozen=True, extra="forbid")
"""The families results are frozen and take no unknown field."""

PACKAGE: Final = "tuoyu_rules.families"


def catalog(*terms: Mapping[str, tuple[str, str]]) -> Catalog:
    """The families catalog, then core's; ``terms`` (a jurisdiction's names, say) looked up before the glossary."""
    found = package_catalog(PACKAGE)
    return found.with_layers((), terms) if terms else found


def explain(
    messages: Iterable[Message], lang: Lang, using: Catalog | None = None
) -> tuple[tuple[str, ...], tuple[Explanation, ...]]:
    """``messages`` rendered: their texts in ``lang`` and, parallel to them, their explanations (both texts)."""
    source = using or catalog()
    explained = tuple(source.explain(m) for m in messages)
    return pick(explained, lang), explained
