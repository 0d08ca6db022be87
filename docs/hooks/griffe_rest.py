"""Griffe extension for the API pages: the reST of the docstrings, shown as Markdown.

The docstrings are Sphinx-style reST; mkdocstrings reads their text as Markdown. Once the whole package is
loaded (so that a short name can be looked up where it is written), every docstring is rewritten in memory;
the source stays as it is:

* a cross-reference role (``:func:`budget```, ``:class:`~tuoyu_rules.Facility```, ``:mod:``, ``:meth:``,
  ``:attr:``, ``:data:``, ``:exc:``, ``:obj:``, ``:const:``) becomes a cross-reference to the object it names,
  shown as code: a link when that object is rendered on an API page, the name alone otherwise (a private
  helper, a module without a page). As in Sphinx, ``~`` shows the last part of the name only, ``!`` never
  links, and ``title <target>`` shows ``title``;
* a simple table (columns framed by ``=====`` lines) becomes a Markdown table; a row whose first cell is
  empty continues the row above it, and so does a row with only a first cell after a first cell that ends
  with a comma (a list of names sharing one description);
* a paragraph ending in ``::`` followed by an indented block: the block becomes a fenced code block and the
  ``::`` a colon.

Fenced code blocks (doctests, fenced by ``griffe_doctest.py``) are left alone.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import griffe

ROLES = ("func", "meth", "class", "mod", "attr", "data", "exc", "obj", "const")
"""The Python-domain roles converted (with or without the ``py:`` domain)."""

ROLE = re.compile(r":(?:py:)?(?P<role>" + "|".join(ROLES) + r"):`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_BORDER = re.compile(r"^(?P<indent>[ \t]*)=+(?: +=+)+[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


# -- the text ------------------------------------------------------------------------------------------------


def _segments(text: str) -> Iterator[tuple[bool, list[str]]]:
    """The lines of ``text`` in runs: ``(True, lines)`` for a fenced code block, ``(False, lines)`` between."""
    run: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            if run:
                yield False, run
            run, fence = [line], m.group(1)
        elif fence is not None and line.strip().startswith(fence):
            yield True, [*run, line]
            run, fence = [], None
        else:
            run.append(line)
    if run:
        yield fence is not None, run


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cells(line: str, starts: list[int]) -> list[str]:
    """The cells of a table row; ``starts`` are display columns (a Chinese character is two wide, as the
    source is aligned)."""
    cells = [""] * len(starts)
    column = 0
    for ch in line:
        k = sum(1 for s in starts if s <= column) - 1
        cells[max(k, 0)] += ch
        column += _width(ch)
    return [c.strip() for c in cells]


def _cell(text: str) -> str:
    """A table cell: ``|`` escaped outside code spans (inside them it does not end the cell)."""
    parts = re.split(r"(`+.+?`+)", text)
    return "".join(p if p.startswith("`") else p.replace("|", "\\|") for p in parts)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _rows(lines: list[str], starts: list[int]) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in lines:
        cells = _cells(line, starts)
        if rows and not cells[0]:  # a continuation line
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
        elif rows and rows[-1][0].endswith(",") and not any(cells[1:]):  # ``a``, / ``b``: one list of names
            rows[-1][0] += " " + cells[0]
        else:
            rows.append(cells)
    return rows


def simple_tables(lines: list[str]) -> list[str]:
    """Every reST simple table in ``lines`` as a Markdown table (its indent kept)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _BORDER.match(lines[i])
        borders = [i]
        j = i + 1
        while m is not None and j < len(lines) and lines[j].strip() and len(borders) < 3:
            if _BORDER.match(lines[j]):
                borders.append(j)
            j += 1
        if len(borders) == 2 and borders[1] != j - 1:
            borders = borders[:1]  # rows after the second border but no third: not a table
        if m is None or len(borders) < 2:
            out.append(lines[i])
            i += 1
            continue
        starts = [c.start() for c in re.finditer(r"=+", lines[i])]
        if len(borders) == 3:
            header = _rows(lines[borders[0] + 1 : borders[1]], starts)
            head = [" ".join(cell).strip() for cell in zip(*header, strict=True)] if header else [""] * len(starts)
            body = _rows(lines[borders[1] + 1 : borders[2]], starts)
        else:
            head, body = [""] * len(starts), _rows(lines[borders[0] + 1 : borders[1]], starts)
        indent = m.group("indent")
        if out and out[-1].strip():
            out.append("")
        out.append(indent + _md_row(head))
        out.append(indent + "|" + "|".join("---" for _ in starts) + "|")
        out.extend(indent + _md_row(r) for r in body)
        i = borders[-1] + 1
        if i < len(lines) and lines[i].strip():
            out.append("")
    return out


def literal_blocks(lines: list[str]) -> list[str]:
    """``text::`` and the indented block after it: ``text:`` and a fenced block."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.rstrip().endswith("::"):
            out.append(line)
            i += 1
            continue
        indent = len(line) - len(line.lstrip())
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == i + 1 or j >= len(lines) or len(lines[j]) - len(lines[j].lstrip()) <= indent:
            out.append(line)
            i += 1
            continue
        block: list[str] = []
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
            block.append(lines[j])
            j += 1
        while block and not block[-1].strip():
            block.pop()
        head = line.rstrip()[:-2].rstrip()
        if head.strip():
            out.append(head + ":")
        pad = " " * indent
        out += ["", pad + "```text", *(pad + b for b in textwrap.dedent("\n".join(block)).split("\n")), pad + "```"]
        if j < len(lines):
            out.append("")
        i = j
    return out


# -- the names -----------------------------------------------------------------------------------------------


class Resolver:
    """Finds the object a role names, from the object whose docstring holds it."""

    def __init__(self, collection: griffe.ModulesCollection, objects: list[griffe.Object]) -> None:
        self.collection = collection
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for obj in objects:
            self.by_name[obj.name].add(obj.path)

    def lookup(self, path: str) -> str | None:
        """The canonical path of the object at ``path``, or None when there is none."""
        try:
            found: Any = self.collection[path]
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        try:
            return str(found.canonical_path)
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return str(found.path)

    def resolve(self, scope: griffe.Object, target: str) -> str | None:
        target = target.lstrip(".")
        found = self.lookup(target)
        if found is not None:
            return found
        first, _, rest = target.partition(".")
        try:
            base = scope.resolve(first)
        except (griffe.NameResolutionError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            base = None
        if base is not None:
            found = self.lookup(f"{base}.{rest}" if rest else base)
            if found is not None:
                return found
        candidates = {p for p in self.by_name.get(target.rpartition(".")[2], ()) if p.endswith("." + target)}
        if len(candidates) == 1:
            return self.lookup(candidates.pop())
        return None


def cross_reference(role: str, body: str, scope: griffe.Object, resolver: Resolver) -> str:
    """The HTML of one role: an optional autorefs cross-reference around the name as code."""
    del role  # every Python role links the same way
    titled = _TITLED.match(body)
    title, target = (titled.group("title"), titled.group("target")) if titled else (None, body.strip())
    link = not target.startswith("!")
    target = target.lstrip("!")
    short = target.startswith("~")
    target = target.lstrip("~")
    shown = title or (target.rpartition(".")[2] if short else target)
    code = f"<code>{html.escape(shown)}</code>"
    identifier = resolver.resolve(scope, target) if link else None
    if identifier is None:
        return code
    return f'<autoref identifier="{html.escape(identifier)}" optional>{code}</autoref>'


def rest_to_markdown(text: str, scope: griffe.Object, resolver: Resolver) -> str:
    """The docstring ``text`` of ``scope`` with its roles, simple tables and literal blocks as Markdown."""
    out: list[str] = []
    for fenced, lines in _segments(text):
        if fenced:
            out += lines
            continue
        lines = literal_blocks(simple_tables(lines))
        for fenced_inner, inner in _segments("\n".join(lines)):
            if fenced_inner:
                out += inner
            else:
                plain = "\n".join(inner)
                out += ROLE.sub(lambda m: cross_reference(m["role"], m["body"], scope, resolver), plain).split("\n")
    return "\n".join(out)


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)  # type: ignore[arg-type]


class RestToMarkdown(griffe.Extension):
    """Rewrite the reST of every docstring of a package once it is loaded (see the module's docstring)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        objects = list(_walk(pkg))
        resolver = Resolver(loader.modules_collection, objects)
        for obj in objects:
            if obj.docstring is not None:
                obj.docstring.value = rest_to_markdown(obj.docstring.value, obj, resolver)

    def on_package_loaded(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """The same, under the name griffe 1 gives the event (the rewriting is idempotent if both are called)."""
        self.on_package(pkg=pkg, loader=loader, **kwargs)
