"""Digests of the rules in force: what :attr:`Assessment.rules_version <tuoyu_rules.Assessment.rules_version>` says.

A rules version is the package version and a digest of every layer of the chain assessed (and of the what-if
reform, if any): ``"0.1.0+rules.<16 hex digits>"``, the first 16 hex digits of a SHA-256. A stored result so
says what produced it; two results with the same rules version were made by the same package version and the
same rules data, and the same input gives them the same bytes.

What a layer's digest covers:

* a bundled layer: the bytes of its data file (``jurisdictions/<id>.toml``), of its rule module
  (``jurisdictions/<id>.py``, when it has one) and of the shared source list (``jurisdictions/sources.toml``),
  line ends normalised to ``\\n`` (a checkout with CRLF line ends gives the same digest);
* a plugin layer: its built :class:`~tuoyu_rules.core.policy.Policy` as canonical JSON (every programme,
  payer, citation, designation and dated parameter value, each rule by its qualified name), the source text of
  each module its rules live in (or, where the source cannot be read, the module's declared ``__version__``)
  and the name and version of the distribution that installed it, when known.

The digests are computed once per loaded layer (the registry keeps them with its policies,
:func:`tuoyu_rules.core.registry.rules_version`): nothing here runs per assessment except the reform's part.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import inspect
import json
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING

from pydantic import BaseModel

from .version import __version__

if TYPE_CHECKING:
    from .policy import Policy
    from .reforms import Reform

DIGEST_CHARS = 16
"""Hex digits of the SHA-256 kept in a rules version (64 bits)."""

_DATA_PACKAGE = "tuoyu_rules.jurisdictions"


def _hash(parts: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 (hex) of labelled parts, each framed by its label and length (no two part lists collide)."""
    h = hashlib.sha256()
    for label, data in parts:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _text_bytes(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")


def builtin_digest(jurisdiction_id: str, has_module: bool) -> str:
    """The digest of a bundled layer: its data file, its rule module (if any) and the shared source list."""
    names = [f"{jurisdiction_id}.toml", *([f"{jurisdiction_id}.py"] if has_module else []), "sources.toml"]
    folder = resources.files(_DATA_PACKAGE)
    return _hash((name, _text_bytes(folder.joinpath(name).read_text(encoding="utf-8"))) for name in names)


def plain(value: object) -> object:
    """``value`` as plain JSON data, canonically: dates ISO, decimals as text, dataclasses and models as objects,
    functions by their qualified name; any other object by its type's name (never its address)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return plain(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=repr)
    if callable(value):
        return f"{getattr(value, '__module__', '?')}:{getattr(value, '__qualname__', type(value).__qualname__)}"
    return f"<{type(value).__qualname__}>"


def canonical_json(value: object) -> bytes:
    """:func:`plain` data as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _module_text(name: str) -> bytes:
    """A rule module's source, or its declared version where the source cannot be read (a compiled module)."""
    module = sys.modules.get(name)
    if module is None:
        return b"(not imported)"
    try:
        return _text_bytes(inspect.getsource(module))
    except (OSError, TypeError):
        return f"(no source; version {getattr(module, '__version__', 'not declared')})".encode()


def plugin_digest(policy: Policy, distribution: str | None) -> str:
    """The digest of a plugin layer: its policy's canonical JSON, its rule modules' sources and its distribution
    (``name==version``, or None when the entry point does not say)."""
    modules = sorted({str(getattr(p.rule, "__module__", None)) for p in policy.programs if p.rule is not None})
    return _hash(
        (
            ("policy", canonical_json(policy)),
            *((f"module {name}", _module_text(name)) for name in modules),
            ("distribution", (distribution or "(unknown)").encode()),
        )
    )


def chain_version(layers: Iterable[tuple[str, str]]) -> str:
    """The rules version of a chain of ``(jurisdiction id, layer digest)``, nearest layer first."""
    digest = _hash((f"layer {jid}", layer.encode()) for jid, layer in layers)
    return f"{__version__}+rules.{digest[:DIGEST_CHARS]}"


def with_reform(version: str, reform: Reform | None) -> str:
    """``version`` (:func:`chain_version`) with the reform's overrides folded into its digest (itself for none)."""
    if reform is None:
        return version
    digest = _hash((("rules", version.encode()), ("reform", reform.canonical)))
    return f"{__version__}+rules.{digest[:DIGEST_CHARS]}"
