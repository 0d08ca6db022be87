"""Jurisdictions as JSON: :class:`JurisdictionSummary` (``GET /jurisdictions``) and :class:`JurisdictionDetail`
(``GET /jurisdictions/{id}``: programmes, payers, parameters with their dates, citations).

Every text of the data comes in both languages, whatever ``lang`` asks (``lang`` is the language of an error):
the English under its name and the Chinese beside it with ``_zh``, as the names are (``name_zh``, ``name_en``).
A list and its ``_zh`` list go text by text (``limitations_zh[i]`` is ``limitations[i]`` in Chinese); a citation
carries ``summary_zh``, ``clause_zh``, ``source_zh``, ``title_zh``, ``issuer_zh`` and ``where_zh`` (None where the
text is Chinese already). A ``_zh`` that is empty or null means the data gives no Chinese (a plugin's, say)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.amounts import AmountRange
from ..core.citations import Citation
from ..core.parameters import Choice, DatedValue, Parameter, Ratio
from ..core.policy import Policy, Program

_FROZEN = ConfigDict(frozen=True)


class JurisdictionSummary(BaseModel):
    """One registered jurisdiction, as ``tuoyu jurisdictions --format json`` lists it."""

    model_config = _FROZEN

    id: str = Field(description="The jurisdiction id (`xiamen`).")
    name_zh: str = Field(description="Its name in Chinese.")
    name_en: str = Field(description="Its name in English.")
    level: Literal["national", "province", "city", "district"] = Field(description="Its level.")
    parent: str | None = Field(description="The id of the layer above (None for `cn`).")
    division_code: str = Field(description="Its GB/T 2260 division code.")
    programs: tuple[str, ...] = Field(description="The ids of its programmes.")


class ProgramInfo(BaseModel):
    """A programme of a jurisdiction: what it is, who pays, on what basis, when, and the sources."""

    model_config = _FROZEN

    id: str = Field(description="The programme id (`xiamen.construction_subsidy`).")
    kind: str = Field(description="entitlement, obligation, condition, fee_rule, compliance or family.")
    name_zh: str = Field(description="Its name in Chinese.")
    name_en: str = Field(description="Its name in English.")
    payer: str | None = Field(description="The payer id (`xiamen.union`), for a money-bearing programme.")
    basis: str | None = Field(description="one_time, per_year, per_month or per_child_month.")
    start: dt.date | None = Field(description="The first day in force (None: not stated).")
    end: dt.date | None = Field(description="The last day in force (None: open).")
    designation: str | None = Field(description="The designation id it needs, if any.")
    matches: str | None = Field(description="For a matching obligation: the programme it matches.")
    citations: tuple[Citation, ...] = Field(description="The sources it rests on.")
    assumptions: tuple[str, ...] = Field(description="The readings it rests on, in English.")
    assumptions_zh: tuple[str, ...] = Field(description="The same in Chinese, text by text (empty: none given).")
    notes: tuple[str, ...] = Field(description="Notes on it, in English.")
    notes_zh: tuple[str, ...] = Field(description="The same in Chinese, text by text (empty: none given).")


class ParameterValueInfo(BaseModel):
    """One value of a parameter, with its dates (or batch year) and the citation ids it rests on."""

    model_config = _FROZEN

    kind: str = Field(description="range, ratio, count, brackets, choice or not_stated.")
    value: Any = Field(
        description="range: {low, high, allowed} (yuan strings; high null: no upper bound); ratio: {ratio, exact}; "
        "count: an integer; brackets: [{min, max, amount}]; choice: {choice, options}; not_stated: null."
    )
    text: str = Field(description="The value as the explanations show it.")
    start: dt.date | None = Field(description="The first day of the value (None: not stated).")
    end: dt.date | None = Field(description="The last day of the value (None: open).")
    batch: int | None = Field(description="The batch year the value is for (batch-keyed parameters).")
    cites: tuple[str, ...] = Field(description="The citation ids it rests on.")
    note: str | None = Field(description="A note on the value.")
    note_zh: str | None = Field(description="The note in Chinese.")


class ParameterInfo(BaseModel):
    """A named parameter and its dated values."""

    model_config = _FROZEN

    name: str = Field(description="The parameter name (`xiamen.operating_subsidy.amount`).")
    description: str = Field(description="What it is.")
    description_zh: str | None = Field(description="The same in Chinese.")
    values: tuple[ParameterValueInfo, ...] = Field(description="Its values, by start date or batch year.")


class JurisdictionDetail(JurisdictionSummary):
    """A jurisdiction with its programmes, payers, parameters (with dates) and citations."""

    payers: dict[str, dict[str, str]] = Field(description="Payer id -> {name_zh, name_en}.")
    program_details: tuple[ProgramInfo, ...] = Field(description="Each programme in full.")
    parameters: tuple[ParameterInfo, ...] = Field(description="Each parameter with its dated values.")
    citations: tuple[Citation, ...] = Field(description="Every citation of the jurisdiction's data.")
    limitations: tuple[str, ...] = Field(description="What its rules do not cover.")
    limitations_zh: tuple[str, ...] = Field(description="The same in Chinese, text by text (empty: none given).")
    references: tuple[str, ...] = Field(description="The documents its data rests on, in English.")
    references_zh: tuple[str, ...] = Field(description="The same in Chinese, text by text (empty: none given).")


def summary(p: Policy) -> JurisdictionSummary:
    """A policy as :class:`JurisdictionSummary`."""
    return JurisdictionSummary(
        id=p.id,
        name_zh=p.name_zh,
        name_en=p.name_en,
        level=p.level,
        parent=p.parent,
        division_code=p.division_code,
        programs=tuple(prog.id for prog in p.programs),
    )


def detail(p: Policy) -> JurisdictionDetail:
    """A policy as :class:`JurisdictionDetail`."""
    return JurisdictionDetail(
        **summary(p).model_dump(),
        payers={pid: {"name_zh": payer.name_zh, "name_en": payer.name_en} for pid, payer in p.payers.items()},
        program_details=tuple(_program(prog) for prog in p.programs),
        parameters=tuple(_parameter(param) for param in p.parameters.values()),
        citations=tuple(p.citations.values()),
        limitations=p.limitations,
        limitations_zh=p.limitations_zh,
        references=p.references,
        references_zh=p.references_zh,
    )


def _program(prog: Program) -> ProgramInfo:
    """The programme's own attributes, read by name (``ProgramInfo``'s fields are a subset of ``Program``'s)."""
    return ProgramInfo.model_validate(prog, from_attributes=True)


def _parameter(param: Parameter) -> ParameterInfo:
    return ParameterInfo(
        name=param.name,
        description=param.description,
        description_zh=param.description_zh,
        values=tuple(_value(v) for v in param.values),
    )


def _value(v: DatedValue) -> ParameterValueInfo:
    return ParameterValueInfo(
        kind=v.kind,
        value=_plain(v.value),
        text=v.render(),
        start=v.start,
        end=v.end,
        batch=v.batch,
        cites=v.cites,
        note=v.note,
        note_zh=v.note_zh,
    )


def _plain(value: object) -> Any:
    """A parameter value as JSON data (amounts as yuan strings with two decimals)."""
    if isinstance(value, AmountRange):
        return value.model_dump(mode="json")
    if isinstance(value, Ratio):
        return {"ratio": str(value.value), "exact": value.exact}
    if isinstance(value, Choice):
        return {"choice": value.value, "options": list(value.options)}
    if isinstance(value, tuple):
        return [{"min": b.min, "max": b.max, "amount": f"{b.amount:.2f}"} for b in value]
    return value  # a count (int) or None (not stated)
