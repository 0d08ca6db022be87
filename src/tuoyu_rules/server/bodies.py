"""Request bodies: read size-limited, parsed by the library's one JSON reader, validated by their models.

Every body is read by :func:`read_json` (the bytes, at most the endpoint's limit, then
:func:`tuoyu_rules.core.jsonio.loads`: numbers with a fraction as exact ``Decimal``, a key given twice, NaN
and too deep nesting refused), so a document gets the same answer here as from ``tuoyu assess``. Nothing in a
body names a file or code: a reform is its data (``name``, ``description``, ``parameters``), never a path, and
jurisdictions are those installed.

``POST /assess`` and ``POST /compare`` take either a facility, or a request that wraps one with options
(:class:`AssessRequest`, :class:`CompareRequest`): a body whose object has the key ``facility`` is a request
(a facility has no field of that name, and refuses unknown keys).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.requests import Request

from ..core.jsonio import loads
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING, ROUNDING_MODES
from ..core.reforms import Reform
from .errors import _BodyTooLarge

MONEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\d{1,13}(\.\d{1,2})?$",
    "description": 'Yuan with at most two decimals, as a string (`"80000"`, `"850.50"`); an integer or an exact '
    "JSON number with at most two decimals is accepted too; never a float with more.",
    "examples": ["80000"],
}

Money = Annotated[Any, WithJsonSchema(MONEY_SCHEMA)]
"""A money value, passed to the library as read (an ``int``, ``str`` or exact ``Decimal``): the library parses
it exactly and names the field when it is wrong."""

Rounding = Literal[ROUNDING_MODES]  # type: ignore[valid-type]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ReformData(BaseModel):
    """A what-if reform, as data (the shape of a ``.reform.json`` file; see ``tuoyu_rules.Reform``)."""

    model_config = _STRICT

    name: str = Field(description="The reform's name, shown in every result it changes.")
    description: str = Field(default="", description="What the reform does.")
    description_zh: str = Field(default="", description="What the reform does, in Chinese (optional).")
    parameters: dict[str, Any] = Field(
        description="Parameter name -> a value, or a list of dated values, in the shape of the data files "
        '(`{"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]}`).'
    )

    def reform(self) -> Reform:
        """The :class:`~tuoyu_rules.Reform` this data describes (checked against the law's parameters)."""
        data: dict[str, Any] = {"name": self.name, "description": self.description, "parameters": self.parameters}
        if self.description_zh:
            data["description_zh"] = self.description_zh
        return Reform.from_dict(data)


class AssessRequest(BaseModel):
    """``POST /assess``: a facility with options (or send the facility alone as the body)."""

    model_config = _STRICT

    facility: Facility = Field(description="The facility to assess.")
    pins: dict[str, Money] | None = Field(
        default=None,
        description="Awarded amounts by programme id, inside the programme's range "
        '(`{"xiamen.construction_subsidy": "80000"}`).',
    )
    reform: ReformData | None = Field(default=None, description="A what-if overlay of parameter values.")


class CompareRequest(AssessRequest):
    """``POST /compare``: a facility with options, moved to each city (or send the facility alone)."""

    cities: list[str] | None = Field(
        default=None, max_length=1_000, description="The cities to compare (default: every registered city)."
    )


class BudgetRequest(BaseModel):
    """``POST /budget``: a portfolio of facilities, under the law and each reform, side by side."""

    model_config = _STRICT

    facilities: list[Facility] = Field(description="The facilities of the portfolio.")
    reforms: list[ReformData] = Field(default=[], max_length=100, description="What-if scenarios, each named.")
    baseline: bool = Field(default=True, description="Include the law as it stands, as the scenario `baseline`.")
    strategy: Literal["low", "mid", "high"] | None = Field(
        default=None, description="Pin each facility's ranges at their low, middle or high end first."
    )
    rounding: Rounding = Field(default=DEFAULT_ROUNDING, description="The decimal rounding mode.")


class FeeRequest(BaseModel):
    """``POST /fee``: what a parent pays a month (see ``tuoyu_rules.parent_fee``)."""

    model_config = _STRICT

    market_monthly: Money = Field(description="The facility's market price a month, yuan.")
    share: Money | None = Field(
        default=None,
        description='Charge this fraction of the market price (`"0.85"`), in [0, 1]; not with `flat`.',
        json_schema_extra={"type": "string", "pattern": r"^\d+(\.\d+)?$"},
    )
    flat: Money | None = Field(default=None, description="Charge this fixed fee a month instead, yuan.")
    allowance_monthly: Money = Field(default="0", description="The employer's monthly allowance to the parent.")
    cap: Money | None = Field(default=None, description="A price ceiling to check (the local 普惠 standard).")
    rounding: Rounding = Field(default=DEFAULT_ROUNDING, description="The decimal rounding mode.")
    cite: list[str] = Field(default=[], max_length=50, description="Citation ids the fee rests on.")


async def read_bytes(request: Request, limit: int) -> bytes:
    """The request's body, at most ``limit`` bytes.

    :raises _BodyTooLarge: the declared ``Content-Length`` or the bytes received pass ``limit`` (reading stops
        there: a large body is never held whole).
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLarge(limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge(limit)
        parts.append(chunk)
    return b"".join(parts)


async def read_json(request: Request, limit: int) -> Any:
    """The request's body read as JSON by the library's one policy (:func:`tuoyu_rules.core.jsonio.loads`).

    :raises _BodyTooLarge: over ``limit`` bytes.
    :raises JsonError: not JSON, or against the policy (field ``body``).
    """
    return loads(await read_bytes(request, limit), field="body")


def is_wrapped(data: Any) -> bool:
    """Whether a body is a request wrapping a facility (an object with the key ``facility``)."""
    return type(data) is dict and "facility" in data
