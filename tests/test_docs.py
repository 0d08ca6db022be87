"""The documentation's examples run, and print what the pages say they print.

Conventions (also on ``docs/contributing-docs.md``):

* Every `````python`` block of a page runs, in page order, in one namespace per page.
* A run of ``# `` comment lines right after a top-level statement that calls ``print`` is that statement's
  expected output, compared line by line. Other comments are comments.
* A `````console`` block holds ``$ tuoyu ...`` commands, each followed by its expected output (standard
  output, then standard error); they run through ``tuoyu_rules.cli.main``. A line ``...`` stands for any
  number of lines; runs of spaces count as one (table columns widen as data is added). ``< FILE`` at the
  end of a command feeds FILE to standard input.
* Examples run in a temporary folder holding every code block of the page that has a ``title="FILE"``
  (such as a ``json title="facility.json"`` block), written as FILE.
* ``<!-- requires: NAME -->`` (a top-level attribute of ``tuoyu_rules``, or ``tuoyu COMMAND`` for a CLI
  command) marks the examples after it on the page as needing NAME: while NAME does not exist they are
  skipped, saying why (the examples above it still run).
* `````sh`` blocks (installation commands) are shown, not run.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import io
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.core.messages import glossary

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

_FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.S | re.M)
_REQUIRES = re.compile(r"<!--\s*requires:\s*(?P<what>[^>]*?)\s*-->")


@dataclass(frozen=True)
class Block:
    lang: str
    title: str | None
    body: str
    line: int
    requires: tuple[str, ...]
    """Every ``<!-- requires: ... -->`` above the block on its page."""


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "hooks" not in p.parts)


def _blocks(text: str) -> list[Block]:
    blocks = []
    for m in _FENCE.finditer(text):
        info = m.group("info").strip()
        lang = info.split()[0] if info else ""
        title = re.search(r'title="([^"]+)"', info)
        requires = tuple(
            what.strip()
            for r in _REQUIRES.finditer(text, 0, m.start())
            for what in r.group("what").split(",")
            if what.strip()
        )
        blocks.append(
            Block(
                lang,
                title.group(1) if title else None,
                m.group("body"),
                text[: m.start()].count("\n") + 2,
                requires,
            )
        )
    return blocks


def _missing_requirements(requires: tuple[str, ...]) -> list[str]:
    missing = []
    for what in requires:
        if what.startswith("tuoyu "):
            if not _has_command(what.split()[1]):
                missing.append(what)
        elif not hasattr(tr, what):
            missing.append(f"tuoyu_rules.{what}")
    return missing


def _has_command(name: str) -> bool:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        cli.main([name, "--help"], stdout=io.StringIO(), stderr=err)
    return "invalid choice" not in err.getvalue()


def _prints(stmt: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
        for node in ast.walk(stmt)
    )


def _expected_after(lines: list[str], end: int) -> list[str] | None:
    """The ``# `` lines right after line ``end`` (1-based, inclusive), or None when there are none."""
    found = []
    for line in lines[end:]:
        if line.startswith("# ") or line == "#":
            found.append(line[2:])
        else:
            break
    return found or None


def _run_python(block: Block, namespace: dict[str, object], page: Path) -> None:
    tree = ast.parse(block.body, filename=str(page))
    lines = block.body.splitlines()
    for stmt in tree.body:
        out = io.StringIO()
        code = compile(ast.Module(body=[stmt], type_ignores=[]), f"{page.relative_to(ROOT)}:{block.line}", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
        expected = _expected_after(lines, stmt.end_lineno or stmt.lineno) if _prints(stmt) else None
        if expected is not None:
            where = f"{page.relative_to(ROOT)}, block at line {block.line}, statement at line {stmt.lineno}"
            assert out.getvalue().splitlines() == expected, where


def _matches(actual: list[str], expected: list[str]) -> bool:
    """Line-by-line equality, where an expected line ``...`` matches any number of lines."""
    parts: list[list[str]] = [[]]
    for line in expected:
        if line == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return actual == expected
    first, *middle, last = parts
    if actual[: len(first)] != first:
        return False
    pos = len(first)
    for part in middle:
        while pos + len(part) <= len(actual) and actual[pos : pos + len(part)] != part:
            pos += 1
        if pos + len(part) > len(actual):
            return False
        pos += len(part)
    return len(actual) - pos >= len(last) and (not last or actual[len(actual) - len(last) :] == last)


def _squeeze(line: str) -> str:
    """Runs of spaces count as one (table columns widen when data is added); ends are stripped."""
    return " ".join(line.split())


def _console_commands(body: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


def _run_console(block: Block, page: Path) -> None:
    for command, expected in _console_commands(block.body):
        argv = shlex.split(command)
        assert argv[0] == "tuoyu", f"{page.relative_to(ROOT)}: console examples run `tuoyu` commands only: {command}"
        stdin = ""
        if len(argv) >= 3 and argv[-2] == "<":
            stdin = Path(argv[-1]).read_text(encoding="utf-8")
            argv = argv[:-2]
        out = io.StringIO()
        status = cli.main(argv[1:], stdout=out, stderr=out, stdin=io.StringIO(stdin))
        actual = [_squeeze(line) for line in out.getvalue().splitlines()]
        expected = [_squeeze(line) for line in expected]
        where = f"{page.relative_to(ROOT)}, block at line {block.line}: $ {command}"
        assert _matches(actual, expected), f"{where}\n--- got ---\n" + "\n".join(actual)
        if not any(line.startswith("tuoyu: error:") for line in expected):
            assert status == 0, where


# -- the examples -------------------------------------------------------------------------------------------


def test_docs_have_pages() -> None:
    assert len(_pages()) >= 10


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = _blocks(text)
    if not any(b.lang in ("python", "console") for b in blocks):
        return
    for b in blocks:
        if b.title is not None:
            (tmp_path / b.title).write_text(b.body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    for b in blocks:
        missing = _missing_requirements(b.requires)
        if missing and b.lang in ("python", "console"):
            pytest.skip(f"from line {b.line} on, needs {', '.join(missing)} (not there yet)")
        if b.lang == "python":
            _run_python(b, namespace, page)
        elif b.lang == "console":
            _run_console(b, page)


def test_expected_output_parser() -> None:
    body = "x = 1\nprint(x)\n# 1\ny = 2\n# a comment after a statement that does not print is not output\n"
    namespace: dict[str, object] = {}
    _run_python(Block("python", None, body, 1, ()), namespace, DOCS / "index.md")
    assert namespace["y"] == 2
    with pytest.raises(AssertionError):
        _run_python(Block("python", None, "print(2)\n# 3\n", 1, ()), {}, DOCS / "index.md")
    assert _matches(["a", "b", "c", "d"], ["a", "...", "d"])
    assert _matches(["a", "b"], ["a", "..."])
    assert not _matches(["a", "b"], ["b", "..."])
    assert not _matches(["a"], ["a", "...", "z"])


# -- pages that must say what the README and the digest say -------------------------------------------------


def test_getting_started_has_the_readme_commands_verbatim() -> None:
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n.*?```", section, flags=re.S)
    assert len(commands) == 2
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for block in commands:
        assert block in page


GLOSSARY_TERMS = {
    "托育机构": "facility",
    "托位": "places",
    "自建": "self_built",
    "自办": "self_run",
    "联办": "joint_run",
    "第三方": "third_party",
    "购买服务": "purchased_places",
    "园区共享办": "park_shared",
    "社区共建": "community_co_built",
    "工会阵地灵活托": "union_venue",
    "普惠": "puhui",
    "爱心托育用人单位": "caring_employer",
    "示范点": "demonstration site",
    "配套": "matching",
    "工会经费": "union funds",
    "备案": "filing",
    "登记": "registered",
}
"""The digest's vocabulary, as the glossary page gives it: a Chinese term and its identifier or English."""


def _glossary_page() -> str:
    page: str = _gen_docs().glossary_page()
    return page


def test_glossary_has_the_vocabulary() -> None:
    rows = [line for line in _glossary_page().splitlines() if line.startswith("|")]
    for zh, en in GLOSSARY_TERMS.items():
        assert any(zh in row and en in row for row in rows), f"glossary lacks {zh} / {en}"


def test_every_mode_is_in_the_glossary() -> None:
    text = _glossary_page()
    for mode in tr.MODES:
        assert f"`{mode}`" in text


def test_the_glossary_page_is_the_glossary_file() -> None:
    """A term is translated once, in core/glossary.toml: the page is made from it at build time (no hand-written
    copy in docs/), and every term is on it with both texts."""
    assert not (DOCS / "reference" / "glossary.md").exists()
    gen = _gen_docs()
    rows = {line for line in _glossary_page().splitlines() if line.startswith("| `")}
    for key, (zh, en) in glossary().items():
        name = key.rpartition(".")[2]
        assert any(row.startswith(f"| `{name}` | {gen.esc(zh)} | {gen.esc(en)} |") for row in rows), (
            f"glossary page lacks {key}"
        )


def test_changelog_page_includes_the_changelog() -> None:
    page = (DOCS / "changelog.md").read_text(encoding="utf-8")
    assert '--8<-- "CHANGELOG.md"' in page
    assert (ROOT / "CHANGELOG.md").exists()


def test_nav_lists_every_hand_written_page() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in _pages():
        rel = page.relative_to(DOCS).as_posix()
        assert rel in nav, f"{rel} is not in the nav of mkdocs.yml"
    assert "reference/glossary.md" in nav  # generated (tools/gen_docs.py), listed all the same


# -- the generator and the build ----------------------------------------------------------------------------


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_pages_cover_the_api_modules() -> None:
    generated = _gen_docs().generated()
    for module in ("core.engine", "core.models", "core.results", "io.schema"):
        assert f"reference/api/{module}.md" in generated
    assert "reference/schema.md" in generated
    assert "reference/glossary.md" in generated
    assert "reference/schema/Facility.schema.json" in generated


HAS_MKDOCS = importlib.util.find_spec("mkdocs") is not None
needs_mkdocs = pytest.mark.skipif(not HAS_MKDOCS, reason="the docs extra is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for the tests of this module that read it."""
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@needs_mkdocs
def test_mkdocs_build_strict(site: Path) -> None:
    for jid in tr.list_jurisdictions():
        assert (site / "jurisdictions" / jid / "index.html").exists(), jid
    assert (site / "reference" / "schema" / "Assessment.schema.json").exists()


def _hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tuoyu_docs_hook_{name}", DOCS / "hooks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _api_pages(site: Path) -> list[Path]:
    pages = sorted((site / "reference" / "api").glob("*/index.html"))
    assert len(pages) > 20
    return pages


# -- the API pages: reST shown as Markdown --------------------------------------------------------------------

REST_LEFTOVERS = (":func:", ":class:", ":meth:", ":mod:", ":attr:", ":data:", ":exc:", ":param ", ":raises ")


@needs_mkdocs
def test_api_pages_show_no_rest_roles(site: Path) -> None:
    """A docstring's ``:func:`x``` is a cross-reference on the page (a link, or the name as code), never text."""
    for page in _api_pages(site):
        text = page.read_text(encoding="utf-8")
        for role in REST_LEFTOVERS:
            assert role not in text, f"{page.parent.name}: {role}"
        assert "=====" not in text, f"{page.parent.name}: a reST table shown as text"


@needs_mkdocs
def test_api_cross_references_are_links(site: Path) -> None:
    """``:class:`~tuoyu_rules.Facility``` in ``assess``'s docstring links to the class on the models page, shown
    as its short name."""
    page = (site / "reference" / "api" / "core.engine" / "index.html").read_text(encoding="utf-8")
    link = r'<a [^>]*href="\.\./core\.models/#tuoyu_rules\.core\.models\.Facility"[^>]*><code>Facility</code></a>'
    assert re.search(link, page)
    links = sum(
        len(re.findall(r'<a class="autorefs autorefs-internal"[^>]*><code>', p.read_text(encoding="utf-8")))
        for p in _api_pages(site)
    )
    assert links > 500


@needs_mkdocs
def test_api_simple_tables_are_tables(site: Path) -> None:
    readers = (site / "reference" / "api" / "io.readers" / "index.html").read_text(encoding="utf-8")
    assert "<th>column</th>" in readers
    assert "<td><code>designations</code></td>" in readers
    messages = (site / "reference" / "api" / "core.messages" / "index.html").read_text(encoding="utf-8")
    assert "<th>placeholder</th>" in messages
    assert "<td><code>托位数（places）</code></td>" in messages  # columns aligned by display width


@needs_mkdocs
def test_rest_conversion() -> None:
    rest = _hook("griffe_rest")
    table = [
        "====  ========  ====",
        "a     b         c",
        "====  ========  ====",
        "``x`` 托位数    one",
        "                two",
        "y,    三        3|4 ``a|b``",
        "z",
        "====  ========  ====",
    ]
    assert rest.simple_tables(table) == [
        "| a | b | c |",
        "|---|---|---|",
        "| ``x`` | 托位数 | one two |",
        "| y, z | 三 | 3\\|4 ``a|b`` |",
    ]
    assert rest.literal_blocks(["Like this::", "", "    {", '      "a": 1', "    }", "", "Then."]) == [
        "Like this:",
        "",
        "```text",
        "{",
        '  "a": 1',
        "}",
        "```",
        "",
        "Then.",
    ]


@needs_mkdocs
def test_rest_roles_resolve_where_they_are_written() -> None:
    rest = _hook("griffe_rest")
    griffe = importlib.import_module("griffe")
    package = griffe.load("tuoyu_rules", search_paths=[str(ROOT / "src")], resolve_aliases=True)
    resolver = rest.Resolver(package.modules_collection, list(rest._walk(package)))
    budgets = package["whatif.budgets"]
    text = rest.rest_to_markdown(
        ":class:`~tuoyu_rules.Facility`, :func:`budget`, :mod:`tuoyu_rules.io`, :func:`!nowhere`, "
        ":func:`no_such_name`\n\n```pycon\n>>> :func:`kept`\n```",
        budgets,
        resolver,
    )
    assert '<autoref identifier="tuoyu_rules.core.models.Facility" optional><code>Facility</code></autoref>' in text
    assert '<autoref identifier="tuoyu_rules.whatif.budgets.budget" optional><code>budget</code></autoref>' in text
    assert '<autoref identifier="tuoyu_rules.io" optional><code>tuoyu_rules.io</code></autoref>' in text
    assert ", <code>nowhere</code>, <code>no_such_name</code>" in text
    assert ">>> :func:`kept`" in text  # code is left alone
    assert rest.rest_to_markdown(text, budgets, resolver) == text  # converting twice changes nothing


# -- the command line reference -------------------------------------------------------------------------------


def _gen_cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_gen_cli_docs", ROOT / "tools" / "gen_cli_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_has_every_command_and_option() -> None:
    gen = _gen_cli_docs()
    reference: str = gen.reference()
    commands = list(gen.commands())
    assert len(commands) >= 15
    for name, _, parser in commands:
        section = reference.split(f"### tuoyu {name} {{#command-{name}}}", 1)[1].split("\n### ", 1)[0]
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in section, f"tuoyu {name}: {option}"


@needs_mkdocs
def test_cli_page_lists_every_command(site: Path) -> None:
    page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "Exit statuses and output errors" in page  # the hand-written introduction stays
    for name, _, _ in _gen_cli_docs().commands():
        assert f'id="command-{name}"' in page, name
        assert f"tuoyu {name}" in page


# -- code blocks: the copy button, the files a page reads -----------------------------------------------------


@needs_mkdocs
def test_copy_takes_the_commands_only() -> None:
    commands = _hook("code_blocks").commands
    console = (
        '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>'
        '<span class="gp">$ </span>tuoyu<span class="w"> </span>jurisdictions\n'
        '<span class="go">id name_zh</span>\n'
        '<span class="gp">$ </span>tuoyu assess \\\n'
        "    --on 2024-06-01\n"
        '<span class="go">done &amp; dusted</span>\n'
    )
    assert commands(console) == ["tuoyu jurisdictions", "tuoyu assess \\", "    --on 2024-06-01"]
    pycon = '<span class="gp">&gt;&gt;&gt; </span>x = 1\n<span class="gp">... </span>y\n<span class="go">1</span>\n'
    assert commands(pycon) == ["x = 1", "y"]
    assert commands("$ tuoyu examples\nxiamen\n") == ["tuoyu examples"]  # a plain text block
    assert commands("print(1)\n") is None


@needs_mkdocs
def test_session_blocks_copy_commands_only(site: Path) -> None:
    page = (site / "how-to" / "charts" / "index.html").read_text(encoding="utf-8")
    assert 'data-copy="tuoyu budget --example portfolio_xiamen --on 2024-06-01 --chart budget.svg"' in page
    marked = 0
    for html_page in site.rglob("*.html"):
        for copied in re.findall(r'data-copy="([^"]*)"', html_page.read_text(encoding="utf-8")):
            marked += 1
            for line in copied.split("&#10;"):
                assert not line.startswith(("$ ", "&gt;&gt;&gt; ")), f"{html_page}: {line}"
    assert marked > 20


@needs_mkdocs
def test_the_files_a_page_reads_are_published_beside_it(site: Path) -> None:
    published = 0
    for page in _pages():
        for block in _blocks(page.read_text(encoding="utf-8")):
            if block.title is None:
                continue
            stem = page.relative_to(DOCS).with_suffix("")
            folder = site / (stem.parent if stem.name == "index" else stem)
            assert (folder / block.title).read_text(encoding="utf-8") == block.body, f"{stem}: {block.title}"
            published += 1
            link = f'<a href="{block.title}" download>{block.title}</a>'
            assert link in (folder / "index.html").read_text(encoding="utf-8")
    assert published > 0


# -- search -------------------------------------------------------------------------------------------------


@needs_mkdocs
def test_search_index_has_chinese_words(site: Path) -> None:
    """Chinese has no spaces: the index holds it cut into words (jieba), so 建设补助 finds Xiamen's page (the browser
    test, tests/test_site_browser.py, searches it in Chromium)."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"]
    assert "\\u200b" in index["config"]["separator"]
    xiamen = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("jurisdictions/xiamen/"))
    assert "建设\u200b补助" in xiamen
