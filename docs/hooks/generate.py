"""MkDocs hook: add the pages generated from data (jurisdictions, API reference, JSON Schema, the glossary) at
build time.

The pages come from ``tools/gen_docs.py`` (see its docstring); they are built in memory and never written
into ``docs/``, so they cannot go stale. In ``mkdocs.yml`` a nav entry whose page is
``jurisdictions/index.md`` or ``reference/api/index.md`` is expanded into the generated pages of that
section. The command-line page, ``reference/cli.md``, is its hand-written text followed by the reference of
every command, made from the parser by ``tools/gen_cli_docs.py``.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

_TOOLS = Path(__file__).resolve().parents[2] / "tools"

CLI_PAGE = "reference/cli.md"

_SECTIONS = {"jurisdictions/index.md": "jurisdictions", "reference/api/index.md": "api"}


@functools.cache
def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tuoyu_{name}", _TOOLS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gen() -> ModuleType:
    return _tool("gen_docs")


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
    # the search index segments Chinese text with jieba, which logs its dictionary loading at DEBUG level
    logging.getLogger("jieba").setLevel(logging.WARNING)
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


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri == CLI_PAGE:
        reference: str = _tool("gen_cli_docs").reference()
        return markdown.rstrip("\n") + "\n\n" + reference
    return markdown
