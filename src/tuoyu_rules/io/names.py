"""Names beside ids in the exports, and the headers of the tables in either language.

Every table that names a programme gives its Chinese and English names beside its id (``name_zh``, ``name_en``),
and every table that names a payer its names beside its id (``payer_zh``, ``payer_en``): :func:`program_names`
and :func:`payer_names` look them up in the rules of the jurisdiction the id starts with (a joint payer,
``cn.acftu+sichuan.union``, joins its parts' names as an entry does). An id no registered jurisdiction declares
(a plugin that is gone, say) has empty names; the id itself is always there.

:func:`headers` gives a table's column names in the language asked: in English the column ids as they always
were (``program``, ``payer_zh``, ``low``), in Chinese the headers of ``io/messages.toml`` (``项目编号``,
``支付方名称``, ``金额下限``); a column of another package's table that the catalog does not know keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.boundary import payer_names as chain_payer_names
from ..core.errors import TuoyuError
from ..core.messages import Lang, Message, package_catalog
from ..core.registry import get_policy, list_jurisdictions
from .cells import Cell, ProgramAmount, bounds

__all__ = [
    "NAMED_PROGRAM_COLUMNS",
    "headers",
    "named_program_cells",
    "payer_names",
    "program_names",
]

NAMED_PROGRAM_COLUMNS: tuple[str, ...] = (
    "program",
    "name_zh",
    "name_en",
    "kind",
    "payer",
    "payer_zh",
    "payer_en",
    "basis",
    "low",
    "high",
)
""":data:`~tuoyu_rules.io.cells.PROGRAM_COLUMNS` with the programme's and the payer's names beside their ids."""


def program_names(program_id: str) -> tuple[str, str]:
    """A programme's Chinese and English names, from the rules of the jurisdiction its id starts with, else of any
    registered jurisdiction that declares it (a district's programme may carry its city's prefix:
    ``xiamen.siming_allowance`` is Siming's); empty names when none does."""
    key = f"program.{program_id}"
    try:
        found = get_policy(program_id.split(".", 1)[0]).terms.get(key)
    except TuoyuError:
        found = None
    if found is not None:
        return found
    for jurisdiction in list_jurisdictions():
        try:
            found = get_policy(jurisdiction).terms.get(key)
        except TuoyuError:  # a broken plugin declares nothing here
            continue
        if found is not None:
            return found
    return "", ""


def payer_names(payer_id: str) -> tuple[str, str]:
    """A payer's Chinese and English names (a joint payer's joined, as an entry gives them); empty names when no
    registered jurisdiction declares it."""
    try:
        layers = tuple(get_policy(part.split(".", 1)[0]) for part in payer_id.split("+"))
        return chain_payer_names(payer_id, layers)
    except TuoyuError:
        return "", ""


def named_program_cells(item: ProgramAmount) -> tuple[Cell, ...]:
    """The cells of :data:`NAMED_PROGRAM_COLUMNS`: programme and its names, kind, payer and its names, basis,
    low and high."""
    return (
        item.program,
        *program_names(item.program),
        item.kind,
        item.payer,
        *payer_names(item.payer),
        item.basis,
        *bounds(item.amount),
    )


_HEADERS: dict[str, str] = {
    "table": "io.column.table",
    "facility_id": "io.column.facility_id",
    "jurisdiction": "io.column.jurisdiction",
    "city": "io.column.city",
    "kind": "io.column.kind",
    "program": "io.column.program",
    "name_zh": "io.column.name_zh",
    "name_en": "io.column.name_en",
    "payer": "io.column.payer",
    "payer_zh": "io.column.payer_zh",
    "payer_en": "io.column.payer_en",
    "basis": "io.column.basis",
    "status": "io.column.status",
    "low": "io.column.low",
    "high": "io.column.high",
    "children": "io.column.children",
    "total_low": "io.column.total_low",
    "total_high": "io.column.total_high",
    "missing": "io.column.missing",
    "received": "io.column.received",
    "owed_low": "io.column.owed_low",
    "owed_high": "io.column.owed_high",
    "scenario": "io.column.scenario",
    "reform": "io.column.reform",
    "undetermined": "io.column.undetermined",
    "eligible": "io.column.eligible",
    "ineligible": "io.column.ineligible",
    "open_reasons": "io.column.open_reasons",
    "row": "io.column.row",
    "field": "io.column.field",
    "message": "io.column.message",
    "facilities": "io.column.facilities",
    "row_errors": "io.column.row_errors",
    "row_errors_listed": "io.column.row_errors_listed",
    "year": "io.column.year",
    "paid": "io.column.paid",
    "rounded": "io.column.rounded",
    "how": "io.column.how",
    "range_low": "io.column.range_low",
    "range_high": "io.column.range_high",
    "value": "io.column.value",
    "note": "io.column.note",
    "line": "io.column.line",
    "error_field": "io.column.error_field",
    "error": "io.column.error",
}
"""Column id -> the code of its header (``io/messages.toml``)."""


def headers(columns: Iterable[str], lang: Lang) -> tuple[str, ...]:
    """The headers of ``columns`` in ``lang``: the ids themselves in English, the catalog's headers in Chinese (an
    id the catalog does not know is kept)."""
    if lang == "en":
        return tuple(columns)
    catalog = package_catalog("tuoyu_rules.io")
    return tuple(c if c not in _HEADERS else catalog.render(Message(_HEADERS[c]), lang) for c in columns)
