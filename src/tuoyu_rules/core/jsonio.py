"""One way to read JSON, wherever JSON enters the library: :func:`loads`.

Every JSON reader of the package goes through :func:`loads` (the JSON Lines portfolio reader,
:meth:`tuoyu_rules.batch.RuleCache.facility` and so ``assess_json``, ``assess_many`` and ``tally`` for rows
given as text, reform files, and every file a ``tuoyu`` command reads), so the same document gets the same
answer everywhere. The policy:

* **numbers with a fraction or an exponent** (``40000.50``, ``1e5``) are read as exact
  :class:`~decimal.Decimal`, never as a binary float; the field that receives one then applies its own
  rules, the same as for any other input: a money field takes ``40000.50`` (two decimals, see
  :func:`tuoyu_rules.core.money.parse_money`) and refuses ``40000.505``; a count refuses any ``Decimal``.
  (The published JSON Schema writes money as a string, ``"40000.50"``, the canonical form every output
  uses; an exact JSON number is accepted on input as it is from Python.)
* **a key given twice in one object** is refused, naming the key: the last one never silently wins
  (``"self_built": true, ..., "self_built": false`` would drop a grant).
* **the constants** ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON, but Python's reader takes them)
  are refused.
* **bounds**: a document of at most :data:`MAX_CHARS` characters, nested at most :data:`MAX_DEPTH` deep,
  each number at most :data:`MAX_NUMBER_CHARS` characters long (no value the library reads comes near
  these; a hostile document cannot exhaust the stack, nor make Python refuse an integer of 4,300 digits).

A document is read first by the C decoder alone (numbers with a fraction and the constants still go through the
policy's hooks); the reading is kept when it is provably the strict one: as many keys as the text has colons (a
key given twice would leave fewer) and no integer over :data:`MAX_NUMBER_CHARS` characters. Anything else (a colon
inside a string, say) is read again by the strict path, which decides: the same answer either way, at about
three quarters of the cost for a facility row.

Every breach raises :class:`JsonError`, an :class:`~tuoyu_rules.core.errors.InvalidInput` saying what is
wrong and where (line and column for a syntax error). Nothing else escapes :func:`loads`.

>>> loads('{"amount": 40000.50}')
{'amount': Decimal('40000.50')}
>>> loads('{"a": 1, "a": 2}')
Traceback (most recent call last):
...
tuoyu_rules.core.jsonio.JsonError: JSON: the key 'a' appears twice in one object; give it once
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Final, NoReturn

from .errors import InvalidInput

__all__ = ["MAX_CHARS", "MAX_DEPTH", "MAX_NUMBER_CHARS", "JsonError", "loads"]

MAX_CHARS: Final = 10_000_000
"""The longest JSON document (or JSON Lines line) read, in characters."""

MAX_DEPTH: Final = 32
"""The deepest nesting of arrays and objects read (a facility is 3 deep, a reform file 4)."""

MAX_NUMBER_CHARS: Final = 100
"""The longest number read, in characters (the largest amount accepted has 16). The CSV reader bounds its
whole-number cells by it too."""

_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
"""A JSON string (skipped whole: brackets inside it do not count) or one bracket."""


class JsonError(InvalidInput):
    """JSON text that cannot be read, or breaks the reading policy of :mod:`tuoyu_rules.core.jsonio`."""


def loads(text: str | bytes | bytearray, *, field: str = "JSON") -> Any:
    """``text`` read as JSON under the library's one policy (see the module docs).

    :param field: what the text is, for the error message (``"reform"``, ``"standard input"``, ...).
    :raises JsonError: the text is not JSON (where), not UTF-8, or breaks the policy (which rule).
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = "not {encoding} text (byte {byte})"
            raise JsonError.coded(field, "error.json.not_utf8", problem, encoding="UTF-8", byte=exc.start) from None
    if not isinstance(text, str):
        problem = "expected {format} text (str or bytes), got {type}"
        raise JsonError.coded(field, "error.json.type", problem, format="JSON", type=type(text).__name__)
    if len(text) > MAX_CHARS:
        problem = "longer than {max} characters, the most a document may have"
        raise JsonError.coded(field, "error.json.too_long", problem, max=f"{MAX_CHARS:,}")
    if text.count("[") + text.count("{") > MAX_DEPTH:  # only then can it be nested too deeply
        _check_depth(text, field)
    try:  # the common case at C speed: a document every rule accepts reads the same either way
        fast = _fast(text)
    except (_Refused, ValueError, RecursionError):  # a syntax error, a long number, a constant: the strict path says
        pass
    else:
        if _clean(fast, text.count(":")):
            return fast
    try:
        return json.loads(
            text, parse_float=_decimal, parse_int=_int, parse_constant=_constant, object_pairs_hook=_object
        )
    except _Refused as exc:
        raise JsonError.coded(field, exc.code, exc.template, **exc.params) from None
    except json.JSONDecodeError as exc:
        problem = "invalid {format} at line {line} column {column}: {detail}"
        where = {"line": exc.lineno, "column": exc.colno, "detail": exc.msg}
        raise JsonError.coded(field, "error.json.syntax", problem, format="JSON", **where) from None
    except RecursionError:  # pragma: no cover - the depth is checked first; a last guard
        raise JsonError.coded(field, "error.json.too_deep", "nested more than {max} deep", max=MAX_DEPTH) from None


class _Refused(Exception):
    """Raised inside the decoder's hooks; :func:`loads` turns it into a :class:`JsonError` naming the field, with
    its ``code`` (``core/errors_reforms.toml``), English ``template`` and ``params``."""

    def __init__(self, code: str, template: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params


def _check_depth(text: str, field: str) -> None:
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                problem = "nested more than {max} deep (line {line})"
                line = _line(text, match.start())
                raise JsonError.coded(field, "error.json.too_deep_at", problem, max=MAX_DEPTH, line=line)
        elif token in "]}":
            depth -= 1


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _long(text: str) -> NoReturn:
    problem = "a number of {length} characters; at most {max} are read"
    raise _Refused("error.json.long_number", problem, length=f"{len(text):,}", max=MAX_NUMBER_CHARS)


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        _long(text)
    return int(text)


def _decimal(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        _long(text)
    return Decimal(text)


def _constant(name: str) -> NoReturn:
    raise _Refused(
        "error.json.constant", "the constant {name} is not allowed (numbers are exact and finite)", name=name
    )


_SMALLEST_INT: Final = -(10 ** (MAX_NUMBER_CHARS - 1))
_LARGEST_INT: Final = 10**MAX_NUMBER_CHARS
"""Integers strictly between these are written in at most :data:`MAX_NUMBER_CHARS` characters (JSON has no
leading zeros, so an integer's text is ``str`` of it)."""


def _clean(value: Any, colons: int) -> bool:
    """Whether the fast reading (:func:`_fast`: the C decoder, a key given twice kept once, integers unbounded) is
    the strict one: no integer longer than :data:`MAX_NUMBER_CHARS`, and as many keys as the text has colons (each
    pair has one colon outside strings, so fewer keys means a key given twice; a colon inside a string makes this
    False too, and the strict path decides)."""
    keys = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            keys += len(item)
            items = item.values()
        elif kind is list:
            items = item
        else:
            items = (item,)
        for v in items:
            t = type(v)
            if t is dict or t is list:
                stack.append(v)
            elif t is int and not _SMALLEST_INT < v < _LARGEST_INT:
                return False
    return keys == colons


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                shown = repr(key) if len(key) <= 40 else repr(key[:37]) + "..."
                raise _Refused(
                    "error.json.key_twice", "the key {key} appears twice in one object; give it once", key=shown
                )
            seen.add(key)
    return result


_fast = json.JSONDecoder(parse_float=_decimal, parse_constant=_constant).decode
"""The C decoder with the policy's number hooks (called only for a number with a fraction and for NaN/Infinity)."""
