"""Generate the command reference of the ``tuoyu`` command line from its parser.

The parser is ``tuoyu_rules.cli.app._parser()``, the one ``tuoyu`` runs: every command, in the order
``tuoyu --help`` lists them, with its usage line, its arguments and options, their choices, defaults and help.
The MkDocs hook ``docs/hooks/generate.py`` appends :func:`reference` to the hand-written ``reference/cli.md``
at build time, so the reference cannot drift from the parser. To look at it without MkDocs::

    python tools/gen_cli_docs.py
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterator, Sequence

from tuoyu_rules.cli import app
from tuoyu_rules.cli.lang import speaking

USAGE_WIDTH = 80
"""Usage lines are wrapped at this width (as a terminal of 80 columns shows them, and as a page's code block
holds them), whatever the terminal."""

CHOICES_SHOWN = 30
"""An option whose choices, joined, are longer than this is named with its metavar (``--rounding ROUNDING``); its
choices are listed in its description."""

_CODE = re.compile(r"(`+)(.+?)\1")


def esc(text: str) -> str:
    """Help text as Markdown (a table cell): `code` spans kept, everything else shown as it is."""
    parts: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        parts.append(_plain(text[pos : m.start()]))
        parts.append(m.group(0))
        pos = m.end()
    parts.append(_plain(text[pos:]))
    return "".join(parts).replace("\n", " ")


def _plain(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in "`*_[]|#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def parser() -> argparse.ArgumentParser:
    """The ``tuoyu`` parser, its help in English."""
    with speaking("en"):
        return app._parser()


def commands(root: argparse.ArgumentParser | None = None) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """Every command: its name, its one-line help and its parser, in the order of ``tuoyu --help``."""
    root = root or parser()
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield choice.dest, choice.help or "", action.choices[choice.dest]


def usage(p: argparse.ArgumentParser) -> str:
    """The usage line(s) of ``p``, wrapped at :data:`USAGE_WIDTH`."""
    formatter = argparse.HelpFormatter(p.prog, width=USAGE_WIDTH)
    shown = {id(a): _named(a) for a in p._actions}
    groups = []
    for g in p._mutually_exclusive_groups:
        copy_of_group = copy.copy(g)
        copy_of_group._group_actions = [shown[id(a)] for a in g._group_actions]
        groups.append(copy_of_group)
    formatter.add_usage(p.usage, list(shown.values()), groups)
    return formatter.format_help().strip()


def _named(action: argparse.Action) -> argparse.Action:
    """``action``, named by its metavar when its choices are too long to show (they are listed beside it)."""
    if action.choices is None or len(",".join(map(str, action.choices))) <= CHOICES_SHOWN:
        return action
    named = copy.copy(action)
    named.metavar = "COMMAND" if isinstance(action, argparse._SubParsersAction) else action.dest.upper()
    return named


def _name(action: argparse.Action, p: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(p.prog, width=USAGE_WIDTH)
    if not action.option_strings:
        return f"`{formatter._metavar_formatter(action, action.dest)(1)[0]}`"
    shown = formatter._format_action_invocation(_named(action))
    return ", ".join(f"`{part.strip()}`" for part in shown.split(", "))


def _what(action: argparse.Action, p: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(p.prog, width=USAGE_WIDTH)
    said = [esc(formatter._expand_help(action))] if action.help else []
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        said.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
    if action.required and action.option_strings:
        said.append("required")
    if isinstance(action, (argparse._AppendAction, argparse._ExtendAction)) and "repeatable" not in (action.help or ""):
        said.append("repeatable")
    default = action.default
    if (
        action.option_strings
        and default not in (None, False, [], argparse.SUPPRESS)
        and action.nargs != 0
        and "%(default)" not in (action.help or "")
    ):
        said.append(f"default `{default}`")
    groups = [g for g in p._mutually_exclusive_groups if action in g._group_actions]
    for g in groups:
        others = [o.option_strings[0] for o in g._group_actions if o is not action and o.option_strings]
        if others:
            said.append("not with " + ", ".join(f"`{o}`" for o in others))
    return "; ".join(said) or "-"


def _arguments(p: argparse.ArgumentParser) -> list[str]:
    rows = [
        f"| {_name(a, p)} | {_what(a, p)} |"
        for a in p._actions
        if a.help != argparse.SUPPRESS and not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
    ]
    if not rows:
        return ["No arguments."]
    return ["| argument | what it is |", "|---|---|", *rows]


def command_section(name: str, summary: str, p: argparse.ArgumentParser) -> list[str]:
    """One command's section: heading (``#command-NAME``), summary, usage, arguments."""
    lines = [f"### tuoyu {name} {{#command-{name}}}", "", esc(summary[:1].upper() + summary[1:]) + ".", ""]
    if p.description:
        lines += [esc(p.description), ""]
    lines += ["```text", usage(p), "```", ""]
    lines += _arguments(p)
    if p.epilog:
        lines += ["", esc(p.epilog)]
    return [*lines, ""]


def reference() -> str:
    """The generated part of the command-line page: the options of ``tuoyu`` and every command."""
    root = parser()
    lines = [
        "## Every command {#every-command}",
        "",
        "Made from the parser of `tuoyu` when the documentation is built: every command, its usage and each of",
        "its arguments, as `tuoyu COMMAND --help` gives them. Every command also takes `-h` / `--help`.",
        "",
        "### tuoyu {#command-tuoyu}",
        "",
        "```text",
        usage(root),
        "```",
        "",
        *_arguments(root),
        "",
        "Commands:",
        "",
        *(f"- [`tuoyu {name}`](#command-{name}): {esc(summary)}" for name, summary, _ in commands(root)),
        "",
    ]
    for name, summary, p in commands(root):
        lines += command_section(name, summary, p)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(description="Print the generated command reference (Markdown).").parse_args(argv)
    sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
