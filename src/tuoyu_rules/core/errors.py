"""Errors raised by tuoyu_rules.

Every error is a :class:`TuoyuError`. Each message names the field or argument at fault and the rule it
broke, in English, with the Chinese term where it helps a reader find the clause.

An error may carry a stable ``code`` (``error.<...>``, a key of ``core/errors.toml``) and its ``params`` (strings):
:func:`tuoyu_rules.core.error_text.error_text` renders it in Chinese or English from them. Its ``str()`` stays the
English text, the catalog's ``en`` template filled with the same parameters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar

import pydantic
import pydantic_core

if TYPE_CHECKING:
    from .messages import Explanation

_P = ParamSpec("_P")
_T = TypeVar("_T")


_NO_PARAMS: Mapping[str, str] = MappingProxyType({})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, params: Mapping[str, str]) -> str:
    """``template`` (an ``en`` template of ``core/errors.toml``: plain ``{name}`` placeholders only) filled with
    ``params``, each placeholder once (a value holding braces is not filled again)."""
    return _PLACEHOLDER.sub(lambda m: params[m[1]], template)


class TuoyuError(Exception):
    """Base class of every error this library raises on purpose: a service that catches it catches every bad input
    given to a public function (:class:`InvalidData` wraps a pydantic ``ValidationError`` and is one too)."""

    code: str | None = None
    """What went wrong, as a stable code of ``core/errors.toml`` (``error.money.float``); None when the error has
    none (it is then told in Chinese as ``error.invalid``, its English text a parameter)."""
    params: Mapping[str, str] = _NO_PARAMS
    """The parameters of ``code``'s templates, as strings."""
    param_problems: Mapping[str, tuple[Explanation, ...]] = MappingProxyType({})
    """The parameters of ``params`` that are problems of their own (the errors of a validation inside this one), by
    name: ``params`` keeps their English; the Chinese text tells each in Chinese (their ``zh`` texts)."""


class InvalidInput(TuoyuError, ValueError):
    """An argument or field broke a rule of the library (a range, a type, a relation between fields).

    ``field`` names it, ``problem`` says the rule broken (English); ``code`` and ``params``, when given, say the
    same as data (:meth:`coded` builds the three from a template).
    """

    def __init__(
        self, field: str, problem: str, code: str | None = None, params: Mapping[str, str] | None = None
    ) -> None:
        self.field = field
        self.problem = problem
        self.code = code
        self.params = MappingProxyType(dict(params or {}))
        super().__init__(f"{field}: {problem}")

    @classmethod
    def coded(cls, field: str, code: str, template: str, /, **params: object) -> Self:
        """The error ``code`` of ``field``: its problem is ``template`` (the code's ``en`` template in
        ``core/errors.toml``, written out here so the raise site reads as the message) filled with ``params``."""
        texts = {name: str(value) for name, value in params.items()}
        return cls(field, fill(template, texts), code, texts)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (multiprocessing, queues)
        return type(self), (self.field, self.problem, self.code, dict(self.params))


def pydantic_error(exc: TuoyuError) -> pydantic_core.PydanticCustomError:
    """``exc`` as the error a pydantic validator raises: its code as the error's type, its parameters as the
    context and its (English) problem as the message, exactly. An error with no code, or whose text holds a
    placeholder pydantic would fill again, is ``error.invalid`` with the text as its one parameter."""
    text = exc.problem if isinstance(exc, InvalidInput) else str(exc)
    if exc.code is not None and not any(f"{{{name}}}" in text for name in exc.params):
        return pydantic_core.PydanticCustomError(exc.code, text, dict(exc.params))
    return pydantic_core.PydanticCustomError("error.invalid", "{problem}", {"problem": text})


class InvalidData(InvalidInput, pydantic.ValidationError):
    """Data a public function validated into a model, refused: a pydantic ``ValidationError`` that is also an
    :class:`InvalidInput` (so both ``except tr.TuoyuError`` and ``except pydantic.ValidationError`` catch it).

    ``errors()`` lists every problem with its field path (``loc``, prefixed with the argument it came from:
    ``("rows", 3, "places")``); ``field`` is the first one's path, dotted, and ``problem`` its message. Build one
    with :meth:`of`.
    """

    def __init__(self, *args: object) -> None:  # pydantic builds the instance (from_exception_data) and calls this
        errors = self.errors(include_url=False)
        first = errors[0] if errors else {"loc": (), "msg": self.title}
        self.field = ".".join(str(p) for p in first["loc"]) or self.title
        self.problem = str(first["msg"]).removeprefix("Value error, ")

    @classmethod
    def of(cls, error: pydantic.ValidationError, prefix: Sequence[str | int] = ()) -> InvalidData:
        """``error`` as an :class:`InvalidData`, each field path prefixed with ``prefix`` (the argument's name and
        index, say); itself when it already is one and there is no prefix."""
        if isinstance(error, cls) and not prefix:
            return error
        errors = [{**e, "loc": (*prefix, *e["loc"])} for e in error.errors()]
        return cls.from_exception_data(error.title, _portable(errors))

    def __reduce__(self) -> tuple[Any, ...]:  # pickles: pydantic's own reduce does not fit a subclass
        return _invalid_data, (self.title, self.errors())


def _invalid_data(title: str, errors: list[Any]) -> InvalidData:
    return InvalidData.from_exception_data(title, _portable(errors))


def _portable(errors: list[Any]) -> list[Any]:
    """Errors as ``from_exception_data`` takes them back: each with its type, message and context kept as they
    were (a custom type such as ``exact_decimal`` or ``error.money.float`` included), so its code and parameters
    still render it in either language. A context is left out when pydantic would fill a placeholder of the
    message with it again (a text that quotes a ``{name}`` of its own context)."""
    custom = pydantic_core.PydanticCustomError
    portable = []
    for e in errors:
        message, ctx = str(e["msg"]), e.get("ctx")
        if ctx is not None and any(f"{{{name}}}" in message for name in ctx):
            ctx = None
        error_type = custom(str(e["type"]), message, None if ctx is None else dict(ctx))
        portable.append({"type": error_type, "loc": tuple(e["loc"]), "input": e.get("input")})
    return portable


def reports_invalid_data(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """Decorate a public function so that a pydantic ``ValidationError`` of its input leaves it as an
    :class:`InvalidData` (still a ``ValidationError``, now also a :class:`TuoyuError`), with its field paths."""

    @functools.wraps(function)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return function(*args, **kwargs)
        except pydantic.ValidationError as exc:
            if isinstance(exc, InvalidData):
                raise
            raise InvalidData.of(exc) from exc

    return checked


class WrongType(InvalidInput, TypeError):
    """An argument of a type the function does not take (``to_csv`` given a str, rows that are not iterable): an
    :class:`InvalidInput` and a ``TypeError``."""


class NotFound(TuoyuError, KeyError):
    """A result asked for a part it does not hold (an entitlement, an obligation, a table): the message names what
    was asked and what is there. A :class:`TuoyuError` and a ``KeyError``."""

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return str(self.args[0])


class MoneyError(InvalidInput):
    """A money value is not an exact yuan amount with at most two decimals (fen) inside the allowed span."""


class AmountOutsideRange(InvalidInput):
    """A pinned amount lies outside its programme's range, or is not one of its allowed values."""


class UnknownJurisdiction(TuoyuError, LookupError):
    """No jurisdiction (辖区) is registered under this id; the message lists the known ids."""

    def __init__(self, jurisdiction_id: object, known: Iterable[str]) -> None:
        self.jurisdiction_id = jurisdiction_id
        self.known = tuple(sorted(known))
        self.code = "error.unknown.jurisdiction"
        self.params = MappingProxyType({"given": _short(jurisdiction_id), "known": ", ".join(self.known) or "(none)"})
        super().__init__(fill("unknown jurisdiction {given}; known ids: {known}", self.params))

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
        self.code = _UNKNOWN.get(what, "error.unknown.other")
        self.params = MappingProxyType({"given": _short(given), "known": ", ".join(self.known) or "(none)"})
        if self.code == "error.unknown.other":
            self.params = MappingProxyType({"what": what, **self.params})
        super().__init__(f"unknown {what} {self.params['given']}; known: {self.params['known']}")

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[UnknownProgram], tuple[str, object, tuple[str, ...]]]:
        return type(self), (self.what, self.given, self.known)


_UNKNOWN = {
    "programme": "error.unknown.programme",
    "designation": "error.unknown.designation",
    "programme in pins": "error.unknown.pinned_programme",
    "parameter in reform": "error.unknown.reform_parameter",
}
"""The code of an :class:`UnknownProgram`, by what was not found (any other: ``error.unknown.other``)."""


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
