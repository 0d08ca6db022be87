"""Messages: every sentence the library says, as a stable code with parameters, rendered in Chinese and English.

A rule, a check or an error never builds a sentence. It makes a :class:`Message`: a dotted ``code``
(``xiamen.construction.not_self_built``) and its parameters, each a string (an amount ``"50000.00"``, a day
``"2024-06-01"``, a range ``"50000.00..100000.00"``, a field name, a programme id). The texts live in message
catalogs, TOML tables with a ``zh`` and an ``en`` template for each code:

* ``core/messages.toml`` (the engine, the context, errors), ``families/messages.toml``,
  ``compliance/messages.toml``, and a ``[messages]`` table in each jurisdiction's data file, beside the rules
  that use them;
* ``core/glossary.toml``: the terms, translated once (自建自办, 普惠, 配套, 托位, the facility's fields, the
  modes, statuses and bases), read by the catalogs (``{@term}``) and by the documentation.

A template is Python format syntax with a kind after the colon, which formats the parameter per language:

=====================  =====================================================  ===========================
placeholder            zh                                                     en
=====================  =====================================================  ===========================
``{x}``                as given                                               as given
``{x:money}``          ``5万元``, ``9,600元``, ``1,234.56元``                  ``50,000 yuan``
``{x:range}``          ``5万~10万元``, ``不低于5万元``                          ``50,000 to 100,000 yuan``
``{x:date}``           ``2024年6月1日``                                        ``2024-06-01``
``{x:month}``          ``2024年6月`` (from ``2024-06``)                        ``2024-06``
``{x:count}``          ``1,200``                                              ``1,200``
``{x:plural:a:b}``     the number                                             ``1 a``, ``2 b``
``{x:term:prefix}``    the glossary's ``prefix.<x>``                          idem, in English
``{x:field}``          ``托位数（places）``                                     ``places``
``{x:fields}``         a comma-separated list of fields, joined with 、        joined with ", "
``{x:program}``        the programme's Chinese name (id when unknown)          its English name
``{x:payer}``          the payer's name                                       idem
``{x:jurisdiction}``   the jurisdiction's name                                idem
``{x:designation}``    the designation's name                                 idem
``{x:jurisdictions}``  ids joined by commas, as names joined with 、            joined with ", "
``{x:payments}``       ``day=amount`` pairs: ``2023年7月1日8万元``               ``80,000 yuan on 2023-07-01``
``{@term}``            the glossary term ``term``                             idem
=====================  =====================================================  ===========================

Amounts in Chinese text follow one rule: 10,000 yuan or more, in whole hundreds, in 万 (``5万元``,
``1.5万元``); any other with thousands separators (``9,600元``, ``12,345.67元``). Days in Chinese are
``2024年6月1日``. ``tests/test_messages.py`` walks every code: both languages, the same parameters in both, no
Latin letters in a Chinese template, every glossary term it names present, and every code a module uses
present in a catalog.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict

from .errors import InvalidInput, PolicyDataError
from .money import fen_text
from .templates import KINDS as KINDS
from .templates import Entry as Entry
from .templates import Segment as Segment
from .templates import parse_catalog as parse_catalog
from .templates import parse_template as parse_template
from .templates import parse_terms as parse_terms
from .templates import template_params as template_params
from .wording import date_text, money_text, range_text

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"
"""The language of ``reasons`` when none is asked: English, as in version 0.1 (``explanation`` has both)."""


def check_lang(lang: object, field: str = "lang") -> Lang:
    """``lang`` when it is ``"zh"`` or ``"en"``; else an :class:`InvalidInput` naming ``field``."""
    if lang not in LANGS:
        shown = repr(lang) if len(repr(lang)) < 40 else repr(lang)[:39] + "…"
        problem = "{value} is not a language of the library; use one of: {langs}"
        raise InvalidInput.coded(field, "error.lang.unknown", problem, value=shown, langs=", ".join(LANGS))
    return lang


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence to say: a stable dotted ``code`` and its parameters (strings), rendered by a catalog."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.params)


def msg(code: str, /, **params: object) -> Message:
    """A :class:`Message` with each parameter as its canonical string (see :func:`param_text`)."""
    return Message(code, tuple((k, param_text(v)) for k, v in params.items()))


def param_text(value: object) -> str:
    """A parameter's canonical string: an amount to the fen (``"50000.00"``), a day in ISO form, a range as
    ``"low..high"`` (``"low.."`` with no upper bound; its allowed values joined by ``|``), a sequence of strings
    joined by commas, a bool as ``true``/``false``, anything else as ``str()``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return fen_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    low = getattr(value, "low", None)
    if isinstance(low, Decimal):  # an AmountRange (core.amounts imports this module's neighbours, not it)
        allowed = getattr(value, "allowed", None)
        if allowed:
            return "|".join(fen_text(v) for v in allowed)
        high = getattr(value, "high", None)
        return f"{fen_text(low)}..{'' if high is None else fen_text(high)}"
    if isinstance(value, (tuple, list)):
        return ",".join(param_text(v) for v in value)
    return str(value)


class Explanation(BaseModel):
    """One reason (or note) as data: its stable ``code``, its ``params`` (strings) and both renderings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    """Stable dotted code, ``<owner>.<topic>.<what>`` (``xiamen.construction.not_self_built``): store or map it."""
    params: dict[str, str]
    """The parameters the texts are made from, as strings (amounts to the fen, days in ISO form, ids)."""
    zh: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


_FIELDS_SET = frozenset({"code", "params", "zh", "en"})
_new = Explanation.__new__
_set = object.__setattr__


def explanation(code: str, params: dict[str, str], zh: str, en: str) -> Explanation:
    """An :class:`Explanation` of values already checked (strings from the catalogs), built without validating
    them again: what ``Explanation.model_construct`` does, without its per-call overhead (an assessment makes about
    ten). ``tests/test_messages.py`` holds it equal to the validated model."""
    made = _new(Explanation)
    _set(made, "__dict__", {"code": code, "params": params, "zh": zh, "en": en})
    _set(made, "__pydantic_fields_set__", _FIELDS_SET)
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


# -- catalogs ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Catalog:
    """Where codes and terms are looked up, nearest first: a jurisdiction's layers, then a package's, then core's.

    ``memo`` keeps the texts it has rendered (:meth:`render` is a pure function of the catalog's data and the
    message, so a remembered text is the one it would render again); it is bounded, and holds nothing a result
    could differ by. An assessment's catalog is its chain's, kept by :func:`chain_catalog`.
    """

    messages: tuple[Mapping[str, Entry], ...]
    terms: tuple[Mapping[str, tuple[str, str]], ...]
    memo: dict[Message, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def entry(self, code: str) -> Entry:
        for table in self.messages:
            found = table.get(code)
            if found is not None:
                return found
        raise PolicyDataError(f"no message {code!r} in the catalogs")

    def term(self, key: str, lang: Lang) -> str | None:
        for table in self.terms:
            found = table.get(key)
            if found is not None:
                return found[0] if lang == "zh" else found[1]
        return None

    def with_layers(
        self, messages: Sequence[Mapping[str, Entry]], terms: Sequence[Mapping[str, tuple[str, str]]]
    ) -> Catalog:
        """This catalog with ``messages`` and ``terms`` looked up first."""
        return Catalog((*messages, *self.messages), (*terms, *self.terms))

    def render(self, message: Message, lang: Lang) -> str:
        params = dict(message.params)
        out: list[str] = []
        for literal, name, spec in self.entry(message.code).template(lang):
            out.append(literal)
            if name is None:
                continue
            if name.startswith("@"):
                out.append(self.term(name[1:], lang) or name[1:])
                continue
            value = params.get(name)
            if value is None:
                raise PolicyDataError(f"message {message.code!r} needs the parameter {name!r}")
            out.append(self._format(value, spec, lang))
        return "".join(out)

    def explain(self, message: Message) -> Explanation:
        """``message`` as an :class:`Explanation` with both texts (immutable: one may serve many results)."""
        texts = self.memo.get(message)
        if texts is None:
            texts = (self.render(message, "zh"), self.render(message, "en"))
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[message] = texts
        return explanation(message.code, message.mapping, *texts)  # its own params: a result never shares a dict

    def _format(self, value: str, spec: str, lang: Lang) -> str:
        kind, _, rest = spec.partition(":")
        if not kind:
            return value
        if kind == "range" or (kind == "money" and (".." in value or "|" in value)):
            return range_text(value, lang)
        if kind == "money":
            return money_text(value, lang)
        if kind == "date":
            return date_text(value, lang)
        if kind == "month":  # "2024-06"
            year, _, month = value.partition("-")
            return f"{int(year)}年{int(month)}月" if lang == "zh" else value
        if kind == "count":
            return f"{int(value):,}"
        if kind == "plural":
            one, _, many = rest.partition(":")
            if lang == "zh":
                return f"{int(value):,}"
            return f"{int(value):,} {one if int(value) == 1 else many}"
        if kind == "term":
            return self.term(f"{rest}.{value}", lang) or value
        if kind in ("field", "fields"):
            sep = "、" if lang == "zh" else ", "
            return sep.join(self._field(f, lang) for f in value.split(",") if f)
        if kind == "jurisdictions":  # a comma-separated list of jurisdiction ids: their names
            names = [self.term(f"jurisdiction.{v}", lang) or v for v in value.split(",") if v]
            return ("、" if lang == "zh" else ", ").join(names)
        if kind == "payments":  # "day=amount" pairs, comma-separated
            pairs = [p.partition("=") for p in value.split(",") if p]
            if lang == "zh":
                return "、".join(f"{date_text(d, lang)}{money_text(Decimal(a), lang)}" for d, _, a in pairs)
            return ", ".join(f"{money_text(Decimal(a), lang)} on {d}" for d, _, a in pairs)
        if kind == "payer" and "+" in value:  # a joint payer: its parts' names
            names = [self.term(f"payer.{part}", lang) or part for part in value.split("+")]
            return ("、" if lang == "zh" else ", ").join(names[:-1]) + ("与" if lang == "zh" else " and ") + names[-1]
        return self.term(f"{kind}.{value}", lang) or value  # a programme's (payer's...) name, else the id

    def _field(self, name: str, lang: Lang) -> str:
        if lang == "zh" and name.startswith("line ") and name[5:].isdigit():  # a file's line (a batch's TallyError)
            return f"第{name[5:]}行"
        base = name.split("[", 1)[0].split(".", 1)[0]
        label = self.term(f"field.{base}", lang) if lang == "zh" else None
        return name if label is None else f"{label}（{name}）"


def _read(package: str, name: str) -> dict[str, Any]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@functools.cache
def package_messages(package: str) -> Mapping[str, Entry]:
    """The catalog ``messages.toml`` of a package of the library (``tuoyu_rules.core``, say), read once."""
    raw = _read(package, "messages.toml").get("messages", {})
    return MappingProxyType(parse_catalog(raw, f"{package.rsplit('.', 1)[-1]}/messages.toml"))


@functools.cache
def glossary() -> Mapping[str, tuple[str, str]]:
    """The glossary (``core/glossary.toml``): every term the catalogs and the docs share, ``key -> (zh, en)``."""
    return MappingProxyType(parse_terms(_read("tuoyu_rules.core", "glossary.toml"), "core/glossary.toml"))


@functools.cache
def error_messages() -> Mapping[str, Entry]:
    """The error catalog: what an error says, by code (``error.<...>``), from ``core/errors.toml`` and the
    ``core/errors_<area>.toml`` files beside it (one per area of the library: ``errors_reforms.toml``...). A code
    given twice is a data error."""
    entries: dict[str, Entry] = {}
    folder = resources.files("tuoyu_rules.core")
    names = sorted(r.name for r in folder.iterdir() if r.name.startswith("errors") and r.name.endswith(".toml"))
    for name in names:
        raw = tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8")).get("messages", {})
        for code, entry in parse_catalog(raw, f"core/{name}").items():
            if code in entries:
                raise PolicyDataError(f"core/{name}: the error code {code!r} is given in another error catalog too")
            entries[code] = entry
    return MappingProxyType(entries)


MEMO_SIZE = 4096
"""Explanations a catalog remembers before it forgets them all (memory stays bounded)."""


class Layer(Protocol):
    """What :func:`chain_catalog` reads of a layer (a :class:`~tuoyu_rules.core.policy.Policy`)."""

    @property
    def messages(self) -> Mapping[str, Entry]: ...

    @property
    def terms(self) -> Mapping[str, tuple[str, str]]: ...


_CHAINS: dict[tuple[int, ...], Catalog] = {}


def chain_catalog(layers: Sequence[Layer]) -> Catalog:
    """The catalog of a chain of layers (nearest first), then core's: made once per chain and kept, so its memo
    serves every assessment under that chain. Keyed by the identity of the layers' (immutable) catalogs, which the
    kept catalog holds, so a reloaded layer gets a catalog of its own."""
    key = tuple(id(x.messages) for x in layers) + tuple(id(x.terms) for x in layers)
    found = _CHAINS.get(key)
    if found is None:
        found = core_catalog().with_layers([x.messages for x in layers], [x.terms for x in layers])
        if len(_CHAINS) >= 256:
            _CHAINS.clear()
        _CHAINS[key] = found
    return found


def core_catalog() -> Catalog:
    """The core catalog: ``core/messages.toml``, ``core/errors.toml`` and the glossary."""
    return Catalog((package_messages("tuoyu_rules.core"), error_messages()), (glossary(),))


def package_catalog(package: str) -> Catalog:
    """A package's own messages (``tuoyu_rules.families``, say), then core's."""
    core = core_catalog()
    return Catalog((package_messages(package), *core.messages), core.terms)


def render(message: Message, lang: Lang, catalog: Catalog | None = None) -> str:
    """``message`` in ``lang``, from ``catalog`` (the core catalog by default)."""
    return (catalog or core_catalog()).render(message, lang)


def pick(explanations: Iterable[Explanation], lang: Lang) -> tuple[str, ...]:
    """The texts of ``explanations`` in ``lang``."""
    return tuple(e.zh if lang == "zh" else e.en for e in explanations)
