"""MkDocs hook: what the copy button of a code block copies, and the example files a page reads.

* A terminal session (``$ tuoyu ...`` lines, each followed by its output) or a Python session (``>>>`` lines)
  copies its commands only, without the prompts and without the output: the block gets a ``data-copy``
  attribute, which the Material theme's copy button copies instead of the block's text. A block without
  prompts copies as it is.
* A code block with a title (``csv title="facilities.csv"``) is a file the page's examples read: it is
  published beside the page under that name, and its title links to it, so a reader can download it and run
  the page's code as the tests run it.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

PROMPTS = ("$ ", ">>> ", "... ", "> ")
"""What a prompt may be: a shell's (``$``, ``>`` for a continued line) or Python's (``>>>``, ``...``)."""

_BLOCK = re.compile(r'<div class="(?P<cls>[^"]*\bhighlight\b[^"]*)"(?P<attrs>[^>]*)>(?P<body>.*?</code></pre>)', re.S)
_CODE = re.compile(r"<code>(?P<code>.*)</code></pre>$", re.S)
_ANCHOR = re.compile(r'<a id="[^"]*__codelineno-[^"]*"[^>]*></a>')
_PROMPT = re.compile(r'^<span class="gp">(?P<prompt>[^<]*)</span>')
_TAG = re.compile(r"<[^>]+>")
_FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_FILENAME = re.compile(r'<span class="filename">(?P<name>[^<]+)</span>')


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


def commands(code_html: str) -> list[str] | None:
    """The commands of a highlighted session, prompts removed, output left out; None when it has no prompt.

    ``code_html`` is the inside of the block's ``<code>`` element as Pygments wrote it: a prompt is a
    ``gp`` span (console and pycon lexers); in a block without highlighting a line starting with ``$ `` is
    a command.
    """
    lines = _ANCHOR.sub("", code_html).split("\n")
    highlighted = any(_PROMPT.match(line) for line in lines)
    found: list[str] = []
    continued = False
    for line in lines:
        m = _PROMPT.match(line)
        if m is not None:
            found.append(_text(line[m.end() :]))
        elif not highlighted and _text(line).startswith("$ "):
            found.append(_text(line)[2:])
        elif continued:  # the line after a command ending in a backslash goes on with the command
            found.append(_text(line))
        else:
            continue
        continued = found[-1].rstrip().endswith("\\")
    return found or None


def copy_commands(page_html: str) -> str:
    """Every code block of ``page_html`` with prompts gets ``data-copy``: its commands, one a line."""

    def mark(m: re.Match[str]) -> str:
        code = _CODE.search(m["body"])
        found = commands(code["code"]) if code else None
        if found is None or "data-copy=" in m["attrs"]:
            return m.group(0)
        copied = html.escape("\n".join(found), quote=True).replace("\n", "&#10;")
        return f'<div class="{m["cls"]}"{m["attrs"]} data-copy="{copied}">{m["body"]}'

    return _BLOCK.sub(mark, page_html)


# -- the example files ------------------------------------------------------------------------------------


def example_files(markdown: str) -> dict[str, str]:
    """The titled code blocks of a page: file name -> content (the last block of a name wins, as in the tests)."""
    files: dict[str, str] = {}
    for m in _FENCE.finditer(markdown):
        title = _TITLE.search(m["info"])
        if title is not None and "/" not in title["title"]:
            files[title["title"]] = m["body"]
    return files


def _page_dir(src_uri: str, config: MkDocsConfig) -> str:
    stem = posixpath.splitext(src_uri)[0]
    if not config.use_directory_urls or posixpath.basename(stem) in ("index", "README"):
        return posixpath.dirname(stem)
    return stem


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir)
    for page in [f for f in files if f.src_uri.endswith(".md") and f.abs_src_path]:
        text = (docs / page.src_uri).read_text(encoding="utf-8")
        for name, content in example_files(text).items():
            path = posixpath.join(_page_dir(page.src_uri, config), name)
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
    return files


def on_page_content(page_html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    page_html = copy_commands(page_html)
    shipped = example_files(page.markdown or "")
    if shipped:
        page_html = _FILENAME.sub(
            lambda m: (
                f'<span class="filename"><a href="{html.escape(m["name"])}" download>{m["name"]}</a></span>'
                if html.unescape(m["name"]) in shipped
                else m.group(0)
            ),
            page_html,
        )
    return page_html
