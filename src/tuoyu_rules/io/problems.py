"""The problems of bad input rows: :class:`RowProblem` (a row's problem, as data) and :class:`RowError` (raised for
one), each with the problem's code and parameters in the error catalogs when it has one, so
:func:`~tuoyu_rules.core.error_text.error_text` tells it in Chinese or English. :mod:`tuoyu_rules.io.readers`
re-exports both.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, ValidationError

from ..core.error_text import error_explanations
from ..core.errors import InvalidInput, fill
from ..core.results import FrozenModel

__all__ = ["RowError", "RowProblem"]


class RowProblem(FrozenModel):
    """A bad input row: its number, the field at fault and the problem (and the row's own key, when it has a
    readable one: ``facility_id`` in CSV, ``id`` in JSON Lines).

    ``message`` is the problem in English; ``code`` and ``params``, when the problem has a code of the error
    catalogs (``error.io.cell.not_whole``, a validator's ``error.limit.enrolled_places``...), say the same as data,
    so :func:`~tuoyu_rules.core.error_text.error_text` tells the :class:`RowError` made of it
    (:meth:`RowError.of`) in Chinese too. A row with several validation problems names the first and counts the
    rest in ``message``, with no code."""

    row: int
    field: str
    message: str
    facility_id: str | None = None
    code: str | None = None
    """The problem's code in the error catalogs, or None (told as ``error.invalid``, ``message`` a parameter)."""
    params: dict[str, str] = Field(default_factory=dict)
    """The parameters of ``code``'s templates, as strings (empty without a code)."""

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class RowError(InvalidInput):
    """A bad input row; ``row`` is its number, ``field`` the field at fault.

    Raised by :func:`read_csv` for a bad header (row 1), and by :func:`tuoyu_rules.whatif.budget` for a bad
    row with ``errors="raise"``. ``facility_id`` is the row's own key, when it has a valid one.
    """

    def __init__(
        self,
        row: int,
        field: str,
        problem: str,
        facility_id: str | None = None,
        code: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        self.row = row
        where = f"row {row}" + ("" if facility_id is None else f" ({facility_id})") + f": {field}"
        super().__init__(where, problem, code, params)
        self.field = field
        self.facility_id = facility_id

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.row, self.field, self.problem, self.facility_id, self.code, dict(self.params))

    @classmethod
    def of(cls, problem: RowProblem) -> Self:
        """The error of a bad row: its number, field, key and problem, with the problem's code and parameters."""
        return cls(problem.row, problem.field, problem.message, problem.facility_id, problem.code, problem.params)


class _CellError(Exception):
    """A cell that cannot be read: its column (``field``) and the problem, the error ``code``'s ``template`` (its
    ``en`` text in ``core/errors_io.toml``) filled with ``params``."""

    def __init__(self, field: str, code: str, template: str, /, **params: object) -> None:
        self.field = field
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        self.message = fill(template, self.params)
        super().__init__(self.message)

    def problem(self, row: int, facility_id: str | None, where: str = "") -> RowProblem:
        """The row problem this cell makes of row ``row`` (its field prefixed with ``where``: a frame's row)."""
        field = f"{where}.{self.field}" if where else self.field
        message, code, params = self.message, self.code, self.params
        return RowProblem(row=row, field=field, message=message, facility_id=facility_id, code=code, params=params)


def _problem(row: int, field: str, code: str, template: str, /, **params: object) -> RowProblem:
    """The problem ``code`` of a whole row (no key can be read from it): ``template`` (its ``en`` text) filled."""
    texts = {name: str(value) for name, value in params.items()}
    return RowProblem(row=row, field=field, message=fill(template, texts), code=code, params=texts)


def _from_validation(number: int, exc: ValidationError, facility_id: str | None = None) -> RowProblem:
    """The problem of a row its facility's validation refused: the first error's field and message, and how many
    more there are; the first error's code and parameters when it is the only one."""
    errs = exc.errors(include_url=False)
    first = errs[0] if errs else {"loc": (), "msg": str(exc)}
    loc = ".".join(str(p) for p in first["loc"]) or "facility"
    message = str(first["msg"]).removeprefix("Value error, ")
    if len(errs) > 1:
        message += f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})"
        return RowProblem(row=number, field=loc, message=message, facility_id=facility_id)
    explained = error_explanations(exc)[0]
    params = {name: value for name, value in explained.params.items() if name != "field"}
    code = None if explained.code == "error.invalid" else explained.code
    return RowProblem(
        row=number, field=loc, message=message, facility_id=facility_id, code=code, params=params if code else {}
    )
