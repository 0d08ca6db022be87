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

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[str, str]]:  # pickles (multiprocessing, queues)
        return type(self), (self.field, self.problem)


class MoneyError(InvalidInput):
    """A money value is not an exact yuan amount with at most two decimals (fen) inside the allowed span."""


class AmountOutsideRange(InvalidInput):
    """A pinned amount lies outside its programme's range, or is not one of its allowed values."""


class UnknownJurisdiction(TuoyuError, LookupError):
    """No jurisdiction (辖区) is registered under this id; the message lists the known ids."""

    def __init__(self, jurisdiction_id: object, known: Iterable[str]) -> None:
        self.jurisdiction_id = jurisdiction_id
        self.known = tuple(sorted(known))
        super().__init__(
            f"unknown jurisdiction {_short(jurisdiction_id)}; known ids: {', '.join(self.known) or '(none)'}"
        )

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[UnknownJurisdiction], tuple[object, tuple[str, ...]]]:
        return type(self), (self.jurisdiction_id, self.known)


class UnknownProgram(TuoyuError, LookupError):
    """No programme or designation is registered under this id."""

    def __init__(self, what: str, given: object, known: Iterable[str]) -> None:
        self.what = what
        self.given = given
        self.known = tuple(sorted(known))
        super().__init__(f"unknown {what} {_short(given)}; known: {', '.join(self.known) or '(none)'}")

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[UnknownProgram], tuple[str, object, tuple[str, ...]]]:
        return type(self), (self.what, self.given, self.known)


class PolicyDataError(TuoyuError):
    """A bundled or plugin parameter file is malformed (raised when it loads, naming the file and entry)."""


class PluginError(TuoyuError):
    """A third-party jurisdiction plugin (entry-point group ``tuoyu_rules.jurisdictions``) is broken.

    Raised when the plugin's jurisdiction is asked for; the built-in jurisdictions are unaffected.
    ``plugin`` is the entry point's name (the jurisdiction id it claims) and ``value`` its target
    (``module:attr``), when known.
    """

    def __init__(self, message: str, *, plugin: str | None = None, value: str | None = None) -> None:
        self.plugin = plugin
        self.value = value
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return _plugin_error, (str(self), self.plugin, self.value, type(self))


class PluginRuleError(PluginError, PolicyDataError):
    """A plugin's rule failed, or returned something that is not an :class:`~tuoyu_rules.Outcome` the engine
    accepts (a float for an amount, say): caught at the engine's boundary, naming the plugin (``plugin``).

    Both a :class:`PluginError` (the plugin is broken, the built-ins are not: ``tr.compare`` skips it) and a
    :class:`PolicyDataError` (the rules are at fault, not the caller's input).
    """


def _plugin_error(
    message: str, plugin: str | None, value: str | None, cls: type[PluginError] = PluginError
) -> PluginError:
    return cls(message, plugin=plugin, value=value)


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: a hostile 10 MB id must not make a 10 MB message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
