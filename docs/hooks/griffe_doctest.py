"""Griffe extension for the API pages: fence doctest examples in docstrings as ``pycon`` code blocks.

The docstrings are reST-flavoured and hold plain doctest examples (``>>> ...`` lines and their output).
Markdown would read ``>>>`` as nested block quotes and the output as text (and brackets in it as links), so
each run of doctest lines, up to the next blank line, becomes a fenced ``pycon`` block.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """Wrap every run of doctest lines (``>>>`` up to a blank line) in a ``pycon`` fence."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(">>>") and (i == 0 or not lines[i - 1].lstrip().startswith("```")):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(f"{indent}```")
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence doctests in every docstring griffe loads."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
