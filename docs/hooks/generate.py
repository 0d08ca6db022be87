"""MkDocs hook: add the pages generated from data (jurisdictions, API reference, JSON Schema, the glossary) at
build time.

The pages come from ``tools/gen_docs.py`` (see its docstring); they are built in memory and never written
into ``docs/``, so they cannot go stale. In ``mkdocs.yml`` a nav entry whose page is
``jurisdictions/index.md`` or ``reference/api/index.md`` is expanded into the generated pages of that
section.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

_TOOL = Path(__file__).resolve().parents[2] / "tools" / "gen_docs.py"

_SECTIONS = {"jurisdictions/index.md": "jurisdictions", "reference/api/index.md": "api"}


@functools.cache
def _gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_gen_docs", _TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expand(items: list[Any], sections: dict[str, list[Any]]) -> list[Any]:
    expanded: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            new: dict[str, Any] = {}
            for title, value in item.items():
                if isinstance(value, str) and value in _SECTIONS:
                    generated = sections[_SECTIONS[value]]
                    keep_index = [value] if value not in generated else []
                    new[title] = keep_index + generated
                elif isinstance(value, list):
                    new[title] = _expand(value, sections)
                else:
                    new[title] = value
            expanded.append(new)
        else:
            expanded.append(item)
    return expanded


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if config.nav:
        config.nav = _expand(list(config.nav), _gen().nav())
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    generated: dict[str, str] = _gen().generated()
    for path, content in generated.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files
