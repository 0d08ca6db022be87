"""Errors raised by tuoyu_rules.

Every error is a :class:`TuoyuError`. Each message names the field or argument at fault and the rule it
broke, in English, with the Chinese term where it helps a reader find the clause.
"""

from __future__ import annotations

from collections.abc import Iterable


class TuoyuError(Exception):
    """Base class of every error this library raises on purpose."""


class InvalidInput(TuoyuError, ValueError):
    """An argument or field broke a rule of the library (a range, a type, a relation between fields)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class MoneyError(InvalidInput):
    """A money value is not an exact yuan amount with at most two decimals (fen) inside the allowed span."""


class AmountOutsideRange(InvalidInput):
    """A pinned amount lies outside its programme's range, or is not one of its allowed values."""


class UnknownJurisdiction(TuoyuError, LookupError):
    """No jurisdiction is registered under this id."""

    def __init__(self, jurisdiction_id: object, known: Iterable[str]) -> None:
        self.jurisdiction_id = jurisdiction_id
        self.known = tuple(sorted(known))
        super().__init__(f"unknown jurisdiction {jurisdiction_id!r}; known ids: {', '.join(self.known)}")

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return str(self.args[0])


class UnknownProgram(TuoyuError, LookupError):
    """No programme or designation is registered under this id."""

    def __init__(self, what: str, given: object, known: Iterable[str]) -> None:
        self.given = given
        self.known = tuple(sorted(known))
        super().__init__(f"unknown {what} {given!r}; known: {', '.join(self.known)}")

    def __str__(self) -> str:
        return str(self.args[0])


class PolicyDataError(TuoyuError):
    """A bundled or plugin parameter file is malformed (raised when it loads, naming the file and entry)."""


class PluginError(TuoyuError):
    """A third-party jurisdiction plugin failed to load; the built-in jurisdictions are unaffected."""
