"""The Chinese twins of a data file's English texts, read and checked when the data loads.

A jurisdiction's data writes its explanations in English (``[jurisdiction]`` ``references`` and ``limitations``,
a programme's ``assumptions`` and ``notes``, a parameter's ``description`` and a value's ``note``, a citation's
``clause`` and ``summary``) and each in Chinese beside it, under the same key with ``_zh``: a list of the same
length and order as the English list (``limitations_zh``), or a string (``summary_zh``). A source of
``sources.toml`` (or of a data file's ``[sources]``) may give ``document_zh``, ``title_zh``, ``issuer_zh`` and
``where_zh`` where those are in English.

A Chinese text has Chinese in it and no Latin letter outside ids: an id is a word with a dot or an underscore
(``facility.filed``, ``cn.acftu+<province>.union``, ``per_child_month``), a keyword ending in ``=`` (``pins=``) or
the standard's name ``GB/T``. Every ``_zh`` key is optional (a plugin's data may be in one language); where one
is given it is checked, and a problem raises :class:`~tuoyu_rules.core.errors.PolicyDataError` naming the entry.
The bundled data gives the Chinese of every English text (``tests/test_data_zh.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from .errors import PolicyDataError
from .parameters import Parameter

_ASCII_RUN = re.compile(r"[!-~]+")
"""A run of printable ASCII without spaces: a word, an id, a number, with the punctuation stuck to it."""
_LATIN = re.compile(r"[A-Za-z]")
_ID = re.compile(r"[A-Za-z0-9}>\]]\.[A-Za-z0-9_{<]|^\.[a-z]|_|[a-z]=")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STANDARDS = frozenset({"GB/T"})

SOURCE_KEYS: tuple[str, ...] = ("document", "title", "issuer", "where")
"""The keys of a source that may have a Chinese twin (``document_zh`` is a citation's ``source_zh``)."""


def latin_outside_ids(text: str) -> list[str]:
    """The words of ``text`` with Latin letters that are not ids (empty when the text is Chinese with ids)."""
    return [
        run
        for run in _ASCII_RUN.findall(text)
        if _LATIN.search(run) and not _ID.search(run) and run.strip("()[];:,，。") not in _STANDARDS
    ]


def _checked(text: object, where: str) -> str:
    if not isinstance(text, str) or not _CJK.search(text):
        raise PolicyDataError(f"{where}: a text in Chinese")
    stray = latin_outside_ids(text)
    if stray:
        raise PolicyDataError(f"{where}: Latin letters outside ids in a Chinese text: {', '.join(stray[:3])}")
    return text


def zh_list(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    """The ``<key>_zh`` list of ``raw``: as long as ``raw[key]``, text by text in the same order; () if absent."""
    value = raw.get(f"{key}_zh")
    if value is None:
        return ()
    english = raw.get(key) or []
    if not isinstance(value, list):
        raise PolicyDataError(f"{where}.{key}_zh: a list of strings")
    if not isinstance(english, list) or len(value) != len(english):
        count = len(english) if isinstance(english, list) else 0
        raise PolicyDataError(
            f"{where}.{key}_zh: {len(value)} texts for the {count} of {key}; the Chinese follows the English, "
            "text by text"
        )
    return tuple(_checked(text, f"{where}.{key}_zh[{i}]") for i, text in enumerate(value))


def zh_text(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    """The ``<key>_zh`` text of ``raw``, the Chinese of ``raw[key]``; None if absent."""
    value = raw.get(f"{key}_zh")
    if value is None:
        return None
    if raw.get(key) is None:
        raise PolicyDataError(f"{where}.{key}_zh: the Chinese of a {key} the entry does not have")
    return _checked(value, f"{where}.{key}_zh")


def source_texts_zh(src: Mapping[str, Any], where: str) -> dict[str, str | None]:
    """A source's Chinese twins as a citation's fields: ``source_zh``, ``title_zh``, ``issuer_zh``, ``where_zh``.
    A citation's ``source`` is the source's ``document``, else its ``title``; ``source_zh`` follows it."""
    texts = {key: zh_text(src, key, where) for key in SOURCE_KEYS}
    document_zh = texts.pop("document")
    return {
        "source_zh": document_zh if src.get("document") else texts["title"],
        **{f"{key}_zh": text for key, text in texts.items()},
    }


def without_zh(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A parameter table without its ``_zh`` keys (its own and its values'), for
    :func:`~tuoyu_rules.core.parameters.parse_parameter`; :func:`parameter_zh` reads them."""
    values = raw.get("values")
    table = {k: v for k, v in raw.items() if not k.endswith("_zh")}
    if isinstance(values, list):
        table["values"] = [
            {k: v for k, v in value.items() if not k.endswith("_zh")} if isinstance(value, Mapping) else value
            for value in values
        ]
    return table


def parameter_zh(param: Parameter, raw: Mapping[str, Any], where: str) -> Parameter:
    """``param`` with the Chinese of its description and of each value's note (``description_zh``, ``note_zh``).
    A ``_zh`` key other than these is refused, as any unknown key of a parameter value is."""
    values: list[Any] = list(raw.get("values") or [])
    for i, value in enumerate([raw, *values]):
        known = {"description_zh"} if i == 0 else {"note_zh"}
        stray = sorted(k for k in value if k.endswith("_zh") and k not in known)
        if stray:
            raise PolicyDataError(f"{where}{'' if i == 0 else f'.values[{i - 1}]'}: unknown keys {stray}")
    notes = [zh_text(value, "note", f"{where}.values[{i}]") for i, value in enumerate(values)]
    return dataclasses.replace(
        param,
        description_zh=zh_text(raw, "description", where),
        values=tuple(dataclasses.replace(v, note_zh=note) for v, note in zip(param.values, notes, strict=True)),
    )
