"""The ``tuoyu`` command line: its parser, built from the command groups, and :func:`main`.

Each command group is a module with ``add_commands(sub)``, which calls ``sub.add_parser(...)`` and
``parser.set_defaults(func=handler)`` for each command it adds: :mod:`~tuoyu_rules.cli.assess`
(``jurisdictions``, ``examples``, ``assess``, ``compare``), then :mod:`~tuoyu_rules.cli.batch` (``assess-many``),
:mod:`~tuoyu_rules.cli.families`, :mod:`~tuoyu_rules.cli.compliance`, :mod:`~tuoyu_rules.cli.whatif`,
:mod:`~tuoyu_rules.cli.schema` and :mod:`~tuoyu_rules.cli.serve` (``serve``, the HTTP service).
What they share (arguments, input, tables, errors) is in :mod:`~tuoyu_rules.cli.common`.

Exit statuses (:data:`EXIT_STATUSES`): 0 done; 1 the output could not be written (standard output cannot
encode it, e.g. ``PYTHONIOENCODING=ascii``, or writing failed, e.g. a full disk): one line on standard error;
2 bad input: one line on standard error. Never a traceback. A command's output is gathered first and written
at the end, so a failed write leaves no half table behind (except ``assess-many``, whose output grows with its
input: it is written as it goes, :class:`_Spool`). A reader that closes the pipe early (``| head``)
ends the command quietly, with the status it would have had (0 when it succeeded).

Every command takes ``--lang zh|en`` (added to each by :func:`_parser`): the language of its output and of its
error lines; without it, ``TUOYU_LANG``, else the locale's language (:mod:`~tuoyu_rules.cli.lang`). An error
the parser finds is said in the language ``--lang`` names, when it names one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

from pydantic import ValidationError

from .. import __version__
from ..core.error_text import error_text
from ..core.errors import TuoyuError
from ..core.messages import Lang, Message, msg
from . import assess, batch, compliance, families, schema, serve, whatif
from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_OUTPUT_ERROR,
    BadInput,
    Command,
    Parser,
    one_line,
    os_problem,
    validation_line,
)
from .lang import LANG_HELP, asked_lang, current, default_lang, env_problem, lang_arg, said, speaking

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_OUTPUT_ERROR", "EXIT_STATUSES", "BadInput", "main"]

EXIT_STATUSES = f"""exit status: {EXIT_OK} done; {EXIT_OUTPUT_ERROR} the output could not be written (standard output \
cannot encode it, e.g. PYTHONIOENCODING=ascii: use UTF-8; or a write failed, e.g. a full disk); {EXIT_BAD_INPUT} bad \
input. Errors are one line on standard error. A reader closing the pipe early (| head) ends the command quietly \
with the status it would have had. Every command takes --lang zh|en, the language of its output and its errors \
(default: $TUOYU_LANG, else zh when the locale's language (LC_ALL, LC_MESSAGES or LANG) starts with zh, else en)."""
"""The exit statuses, as ``tuoyu --help`` prints them."""


class _Extension(Protocol):
    def add_commands(self, sub: argparse._SubParsersAction[Any]) -> None: ...


_EXTENSION_MODULES: tuple[_Extension, ...] = (batch, families, compliance, whatif, schema, serve)
"""The command groups added after :mod:`~tuoyu_rules.cli.assess`'s commands, in this order."""

_EXTENSIONS: tuple[_Extension, ...] | None = None
"""Overrides :data:`_EXTENSION_MODULES` (tests set it to the module under test); None: the default modules."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuoyu", description="Employer childcare policy (用人单位托育服务), exact and cited.", epilog=EXIT_STATUSES
    )
    parser.add_argument("--version", action="version", version=f"tuoyu_rules {__version__}")
    parser.add_argument("--lang", dest="lang_of_all", type=lang_arg, metavar="zh|en", help=LANG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    assess.add_commands(sub)
    for module in _EXTENSION_MODULES if _EXTENSIONS is None else _EXTENSIONS:
        module.add_commands(sub)
    for command in sub.choices.values():  # every command speaks either language
        if not any("--lang" in action.option_strings for action in command._actions):
            command.add_argument("--lang", type=lang_arg, metavar="zh|en", help=LANG_HELP)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the CLI; return the exit status (0 done, 1 output not written, 2 bad input: :data:`EXIT_STATUSES`).

    The command writes into a buffer (``--help`` and ``--version`` too); the buffer goes to ``stdout`` at the
    end (:func:`_deliver`). Warnings the command writes to ``sys.stderr`` go to ``stderr``.
    """
    err = stderr or sys.stderr
    target = stdout or sys.stdout
    args = list(sys.argv[1:] if argv is None else argv)
    asked = asked_lang(args)
    with speaking(asked or default_lang()):
        problem = None if asked is not None else env_problem()
        if problem is not None:  # TUOYU_LANG names no language, and --lang does not say one
            err.write(_error_line(problem))
            return EXIT_BAD_INPUT
        buffer = _Spool(target, err)
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(err):
            status = _run(args, buffer, err, stdin or sys.stdin)
        if buffer.stopped is not None:  # a spilled write failed: the rest is not written
            return status if buffer.stopped == _READER_GONE else buffer.stopped
        return _deliver(buffer.getvalue(), target, err, status)


def _error_line(problem: Message | str, lang: Lang | None = None) -> str:
    """``tuoyu: error: <problem>``, one line, in the language asked."""
    words = problem if isinstance(problem, str) else said(problem, lang)
    return said(msg("cli.error", command="tuoyu", problem=one_line(words)), lang) + "\n"


class _Spool(io.StringIO):
    """The buffer a command writes its output into. A command whose output grows with its input
    (``assess-many``) calls :meth:`spill` now and then, which writes what it has gathered so far (memory stays
    flat, and such a command's output can be cut short by an output error); every other command's output is
    written once, at the end (:func:`_deliver`)."""

    def __init__(self, target: TextIO | None, err: TextIO) -> None:
        super().__init__()
        self._target = target
        self._err = err
        self.stopped: int | None = None
        """None while spilled writes succeed; else :data:`EXIT_OUTPUT_ERROR` (said on ``err``) or
        :data:`_READER_GONE`."""

    def spill(self, more: str = "") -> bool:
        """Write what is gathered, then ``more`` (text the command gathered itself), to standard output and empty
        the buffer; False when standard output can no longer be written (the command should stop: what it
        writes after is dropped)."""
        text = self.getvalue() + more
        self.seek(0)
        self.truncate()
        if self.stopped is None and text:
            self.stopped = _write(text, self._target, self._err)
        return self.stopped is None


def _run(argv: Sequence[str], out: TextIO, err: TextIO, inp: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help and --version print, then exit 0
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except BadInput as exc:  # a usage error, said in the language --lang names (or the default)
        err.write(_error_line(str(exc)))
        return EXIT_BAD_INPUT
    with speaking(args.lang or args.lang_of_all or current()):  # tuoyu COMMAND --lang, or tuoyu --lang COMMAND
        args.lang = current()
        handler: Command = args.func
        try:
            return handler(args, out, inp)
        except BadInput as exc:
            err.write(_error_line(str(exc)))
        except ValidationError as exc:
            err.write(_error_line(validation_line(exc) if args.lang == "en" else error_text(exc, args.lang)))
        except TuoyuError as exc:
            err.write(_error_line(error_text(exc, args.lang)))
        return EXIT_BAD_INPUT


_READER_GONE = -1
"""What :func:`_write` returns when the reader closed the pipe: the command ends quietly."""


def _deliver(text: str, out: TextIO | None, err: TextIO, status: int) -> int:
    """Write a command's output; a failed write is one line on ``err`` and :data:`EXIT_OUTPUT_ERROR`."""
    if not text:
        return status
    failed = _write(text, out, err)
    return status if failed is None or failed == _READER_GONE else failed


def _write(text: str, out: TextIO | None, err: TextIO) -> int | None:
    """Write ``text``: None when written; :data:`_READER_GONE` when the reader closed the pipe (quiet); else
    :data:`EXIT_OUTPUT_ERROR`, said in one line on ``err``."""
    if out is None:  # the process was started with standard output closed
        err.write(_error_line(msg("cli.output.closed")))
        return EXIT_OUTPUT_ERROR
    try:
        encoding = getattr(out, "encoding", None)
        if encoding:  # refuse before writing anything: never half a table
            text.encode(encoding, getattr(out, "errors", None) or "strict")
        out.write(text)
        out.flush()
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        char, fix = f"U+{ord(bad):04X}", "PYTHONIOENCODING=utf-8"
        err.write(_error_line(msg("cli.output.encoding", encoding=repr(exc.encoding), char=char, fix=fix)))
        return EXIT_OUTPUT_ERROR
    except BrokenPipeError:  # the reader stopped reading (e.g. `| head`): quiet
        _discard_stdout(out)
        return _READER_GONE
    except OSError as exc:
        _discard_stdout(out)
        err.write(_error_line(msg("cli.output.failed", problem=os_problem(exc))))
        return EXIT_OUTPUT_ERROR
    return None


def _discard_stdout(out: TextIO) -> None:
    """After a failed write to the process's standard output, point it at the null device, so the interpreter's
    last flush of what is still buffered neither fails nor prints a second error (the Python docs' recipe for
    SIGPIPE)."""
    if out is sys.__stdout__:
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, out.fileno())
            os.close(null)
