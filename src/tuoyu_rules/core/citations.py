"""Citations: the source, the clause, and the short exact words a rule rests on.

Confidence is ``official`` (the original text, or an official report of it) or ``secondary`` (a reprint or
paraphrase whose original was not seen). A result resting on a ``secondary`` citation says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["official", "secondary"]


class Citation(BaseModel):
    """Where a rule comes from.

    ``source`` names the document: for the three seed documents, their file name (e.g.
    ``000_c1cdc2b76565fa65.txt``); for other sources, a short name with the date. ``quote`` is the exact
    short passage of that document the rule rests on. For a source whose original words this project has
    not seen (a press report, a reprint), ``quote`` is None and ``summary`` says in our own words what it
    states; such a citation never pretends to quote.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    """Stable id, ``<jurisdiction>.<name>``, used by parameter values and results to refer to it."""
    source: str = Field(min_length=1)
    title: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    quote: str | None = None
    summary: str | None = None
    confidence: Confidence
    issuer: str | None = None
    published: dt.date | None = None
    where: str | None = None
    """Where it was published (a newspaper, a government site)."""

    @model_validator(mode="after")
    def _has_words(self) -> Self:
        if not self.quote and not self.summary:
            raise ValueError("a citation needs the quote it rests on, or a summary when no quote was seen")
        return self

    def short(self) -> str:
        """One line for tables: ``title, clause [confidence]``."""
        return f"{self.title}, {self.clause} [{self.confidence}]"


def lowest_confidence(citations: tuple[Citation, ...] | list[Citation]) -> Confidence:
    """``secondary`` if any citation is secondary, else ``official``."""
    return "secondary" if any(c.confidence == "secondary" for c in citations) else "official"
