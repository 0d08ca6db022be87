"""The ``tuoyu`` command line: its parser, built from the command groups, and :func:`main`.

Each command group is a module with ``add_commands(sub)``, which calls ``sub.add_parser(...)`` and
``parser.set_defaults(func=handler)`` for each command it adds: :mod:`~tuoyu_rules.cli.assess`
(``jurisdictions``, ``examples``, ``assess``, ``compare``), then :mod:`~tuoyu_rules.cli.families`,
:mod:`~tuoyu_rules.cli.compliance`, :mod:`~tuoyu_rules.cli.whatif` and :mod:`~tuoyu_rules.cli.schema`.
What they share (arguments, input, tables, errors) is in :mod:`~tuoyu_rules.cli.common`.

Bad input exits with status 2 and one line on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

from pydantic import ValidationError

from .. import __version__
from ..core.errors import TuoyuError
from . import assess, compliance, families, schema, whatif
from .common import EXIT_BAD_INPUT, EXIT_OK, BadInput, Command, Parser, one_line, validation_line

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "BadInput", "main"]


class _Extension(Protocol):
    def add_commands(self, sub: argparse._SubParsersAction[Any]) -> None: ...


_EXTENSION_MODULES: tuple[_Extension, ...] = (families, compliance, whatif, schema)
"""The command groups added after :mod:`~tuoyu_rules.cli.assess`'s commands, in this order."""

_EXTENSIONS: tuple[_Extension, ...] | None = None
"""Overrides :data:`_EXTENSION_MODULES` (tests set it to the module under test); None: the default modules."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="tuoyu", description="Employer childcare policy (用人单位托育服务), exact and cited.")
    parser.add_argument("--version", action="version", version=f"tuoyu_rules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    assess.add_commands(sub)
    for module in _EXTENSION_MODULES if _EXTENSIONS is None else _EXTENSIONS:
        module.add_commands(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    inp = stdin or sys.stdin
    try:
        args = _parser().parse_args(argv)
        handler: Command = args.func
        return handler(args, out, inp)
    except BadInput as exc:
        err.write(f"tuoyu: error: {one_line(str(exc))}\n")
    except ValidationError as exc:
        err.write(f"tuoyu: error: {one_line(validation_line(exc))}\n")
    except TuoyuError as exc:
        err.write(f"tuoyu: error: {one_line(str(exc))}\n")
    except BrokenPipeError:  # pragma: no cover - e.g. piped into `head`
        return EXIT_OK
    return EXIT_BAD_INPUT
