"""Citations: the source, the clause, and the short exact words a rule rests on.

Confidence is ``official`` (the original text, or an official report of it) or ``secondary`` (a reprint or
paraphrase whose original was not seen). A result resting on a ``secondary`` citation says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Confidence = Literal["official", "secondary"]


class Citation(BaseModel):
    """Where a rule comes from.

    ``source`` names the document as a reader knows it: its title, with the issuing body and the date where
    known (``全国总工会女职工部特约刊登: 全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会``;
    a press report: the newspaper and the day, ``工人日报 2023-05-05``), never an internal file name.
    ``number`` is its document number (文号) and ``url`` its address, each only where known. ``quote`` is the
    exact short passage of that document the rule rests on. For a source whose original words this project
    has not seen (a press report, a reprint), ``quote`` is None and ``summary`` says in our own words what it
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
    number: str | None = Field(default=None, min_length=1)
    """The document number (文号), such as ``杭卫发〔2022〕68号``, when the document has one and it is known."""
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    """The document's address (``https://...``), when it is known; never guessed."""
    source_zh: str | None = None
    """``source`` in Chinese, where the source's name is (partly) in English; None where it is Chinese already or
    no Chinese is given. So are ``title_zh``, ``issuer_zh``, ``where_zh`` and ``clause_zh``: read ``x_zh or x``."""
    title_zh: str | None = None
    issuer_zh: str | None = None
    where_zh: str | None = None
    clause_zh: str | None = None
    summary_zh: str | None = None
    """The summary in Chinese (a translation of ``summary``, our words too, never the source's own); None when
    there is no summary or no Chinese is given."""

    @model_validator(mode="after")
    def _has_words(self) -> Self:
        if not self.quote and not self.summary:
            problem = "a citation needs the quote it rests on, or a summary when no quote was seen"
            raise PydanticCustomError("error.citation.no_words", problem)
        return self

    def short(self) -> str:
        """One line for tables: ``title, clause [confidence]``."""
        return f"{self.title}, {self.clause} [{self.confidence}]"


def lowest_confidence(citations: tuple[Citation, ...] | list[Citation]) -> Confidence:
    """``secondary`` if any citation is secondary, else ``official``."""
    return "secondary" if any(c.confidence == "secondary" for c in citations) else "official"
