"""Message templates: a catalog's ``zh`` and ``en`` texts parsed into segments and checked (both languages, the
same parameters, known kinds), and glossary tables read into terms. :mod:`tuoyu_rules.core.messages` renders them.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import PolicyDataError

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

KINDS = frozenset(
    {
        *("", "money", "range", "date", "month", "count", "plural", "term", "field", "fields"),
        *("program", "payer", "jurisdiction", "designation", "jurisdictions", "payments"),
    }
)


Segment = tuple[str, str | None, str]
"""``(literal, parameter or None, kind spec)``: a template is a tuple of them."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A catalog entry: the parsed ``zh`` and ``en`` templates of one code."""

    code: str
    zh: tuple[Segment, ...]
    en: tuple[Segment, ...]

    def template(self, lang: Lang) -> tuple[Segment, ...]:
        return self.zh if lang == "zh" else self.en


_FORMATTER = string.Formatter()


def parse_template(text: str, where: str) -> tuple[Segment, ...]:
    """A template's segments; a PolicyDataError naming ``where`` for a bad placeholder or kind."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise PolicyDataError(f"{where}: {exc}") from None
    segments: list[Segment] = []
    for literal, name, spec, conversion in parts:
        if name is None:
            segments.append((literal, None, ""))
            continue
        if conversion or not name or (spec and spec.split(":")[0] not in KINDS):
            raise PolicyDataError(f"{where}: placeholder {{{name}:{spec}}} is not a parameter with a known kind")
        if name.startswith("@") and spec:
            raise PolicyDataError(f"{where}: a glossary term {{{name}}} takes no kind")
        segments.append((literal, name, spec or ""))
    return tuple(segments)


def template_params(segments: Iterable[Segment]) -> frozenset[str]:
    """The parameters a template uses (glossary terms aside)."""
    return frozenset(name for _, name, _ in segments if name is not None and not name.startswith("@"))


def parse_catalog(raw: object, where: str) -> dict[str, Entry]:
    """A ``[messages]`` table (``code = {zh = "...", en = "..."}``) as entries, checked: both languages, the same
    parameters in both."""
    if not isinstance(raw, Mapping):
        raise PolicyDataError(f'{where}: a table of [messages."<code>"] tables')
    entries: dict[str, Entry] = {}
    for code, texts in raw.items():
        at = f"{where}.{code!r}"
        if not isinstance(texts, Mapping) or set(texts) != {"zh", "en"}:
            raise PolicyDataError(f"{at}: needs exactly a zh and an en text")
        if not all(isinstance(texts[lang], str) and texts[lang] for lang in LANGS):
            raise PolicyDataError(f"{at}: the zh and en texts are non-empty strings")
        zh, en = parse_template(texts["zh"], f"{at}.zh"), parse_template(texts["en"], f"{at}.en")
        if template_params(zh) != template_params(en):
            raise PolicyDataError(
                f"{at}: zh uses {sorted(template_params(zh))} and en {sorted(template_params(en))}; use the same"
            )
        entries[code] = Entry(code, zh, en)
    return entries


def parse_terms(raw: object, where: str) -> dict[str, tuple[str, str]]:
    """A glossary table (``key = {zh = "...", en = "..."}``, nested tables joined by dots) as ``key -> (zh, en)``."""
    terms: dict[str, tuple[str, str]] = {}

    def walk(table: Mapping[str, Any], prefix: str) -> None:
        for key, value in table.items():
            name = f"{prefix}{key}"
            if (
                isinstance(value, Mapping)
                and set(value) == {"zh", "en"}
                and all(isinstance(v, str) for v in value.values())
            ):
                terms[name] = (value["zh"], value["en"])
            elif isinstance(value, Mapping):
                walk(value, f"{name}.")
            else:
                raise PolicyDataError(f"{where}.{name}: a term is a table with a zh and an en text")

    if not isinstance(raw, Mapping):
        raise PolicyDataError(f"{where}: a table of terms")
    walk(raw, "")
    return terms
