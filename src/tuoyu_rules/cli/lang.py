"""The language of the ``tuoyu`` command line, ``--lang zh|en``, and what the command line says in it.

Every command takes ``--lang zh`` or ``--lang en``: the language of its tables, its reasons, its warnings and its
error lines (``--format json`` is the result's ``model_dump(mode="json")``, reasons in that language). Without
``--lang`` the language is the environment variable ``TUOYU_LANG`` (``zh`` or ``en``) when it is set; else the
locale's: the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set gives ``zh`` when its value starts
with ``zh`` (``zh_CN.UTF-8``) and ``en`` otherwise; with none set, ``en`` (:func:`default_lang`).

The command line's own sentences (a file that cannot be read, a bad date, a table's headers) are coded messages
of its catalog, ``cli/messages.toml`` (codes ``cli.*``), rendered by :func:`said` in the language of the command
being run (:func:`speaking` sets it). A usage error of the parser (a missing argument, an unknown option) is said
in that language too (:func:`usage_message`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from ..core.messages import LANGS, Catalog, Lang, Message, msg, package_catalog

ENV_LANG = "TUOYU_LANG"
"""The environment variable that chooses the language when ``--lang`` is not given."""

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The locale's variables, read in this order when neither ``--lang`` nor :data:`ENV_LANG` is given."""

LANG_HELP = (
    f"the language of the output and of the error lines: zh or en (default: ${ENV_LANG} if set, else zh when the "
    "locale's language (LC_ALL, LC_MESSAGES or LANG) starts with zh, else en)"
)

_CURRENT: ContextVar[Lang] = ContextVar("tuoyu_cli_lang", default="en")


def current() -> Lang:
    """The language of the command being run."""
    return _CURRENT.get()


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Say everything in ``lang`` inside the block."""
    token = _CURRENT.set(lang)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def catalog() -> Catalog:
    """The command line's catalog (``cli/messages.toml``), then core's."""
    return package_catalog("tuoyu_rules.cli")


def said(message: Message, lang: Lang | None = None) -> str:
    """``message`` in ``lang`` (default: the language of the command being run)."""
    return catalog().render(message, lang or current())


def env_problem(environ: Mapping[str, str] | None = None) -> Message | None:
    """What is wrong with :data:`ENV_LANG` (a value other than zh or en), or None."""
    value = (os.environ if environ is None else environ).get(ENV_LANG, "").strip()
    if value and value.lower() not in LANGS:
        return msg("cli.lang.bad_env", variable=ENV_LANG, value=repr(value), choices=", ".join(LANGS))
    return None


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language when ``--lang`` is not given: :data:`ENV_LANG`, else the locale's (see the module docs).
    A bad :data:`ENV_LANG` is passed over here (:func:`env_problem` reports it)."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_LANG, "").strip().lower()
    if chosen in LANGS:
        return "zh" if chosen == "zh" else "en"
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_arg(value: str) -> Lang:
    """argparse type for ``--lang``: ``zh`` or ``en``."""
    if value not in LANGS:
        raise ValueError(value)
    return "zh" if value == "zh" else "en"


def asked_lang(argv: Sequence[str]) -> Lang | None:
    """The language ``--lang`` names in ``argv`` when it is valid, before the arguments are parsed (an error of the
    parser is said in it); None otherwise."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return "zh" if value == "zh" else "en"
    return None


# -- the parser's errors ---------------------------------------------------------------------------------------
_ARGUMENT = re.compile(r"argument (?P<argument>[^:]+): (?P<problem>.*)", re.DOTALL)
_CHOICE = re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.DOTALL)
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_CHOICE, "cli.usage.invalid_choice"),
    (re.compile(r"invalid lang_arg value: (?P<value>.*)", re.DOTALL), "cli.usage.bad_lang"),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.DOTALL), "cli.usage.invalid_value"),
    (re.compile(r"expected one argument"), "cli.usage.expected_one"),
    (re.compile(r"expected at least one argument"), "cli.usage.expected_some"),
    (re.compile(r"not allowed with argument (?P<other>.*)", re.DOTALL), "cli.usage.not_allowed_with"),
    (re.compile(r"the following arguments are required: (?P<arguments>.*)", re.DOTALL), "cli.usage.required"),
    (re.compile(r"unrecognized arguments: (?P<arguments>.*)", re.DOTALL), "cli.usage.unrecognized"),
    (re.compile(r"one of the arguments (?P<arguments>.*) is required", re.DOTALL), "cli.usage.one_required"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", re.DOTALL), "cli.usage.ambiguous"),
)
"""argparse's usage errors (Python 3.11 and later) and their codes (``cli/messages.toml``)."""


def usage_message(problem: str) -> Message:
    """A usage error of the parser (argparse's English) as a coded message, said in either language; an error
    it does not know is given as it is (``cli.usage.other``)."""
    found = _ARGUMENT.fullmatch(problem)
    if found is not None:
        inner = said(_usage_problem(found["problem"]))
        return msg("cli.usage.argument", argument=found["argument"], problem=inner)
    return _usage_problem(problem)


def _usage_problem(problem: str) -> Message:
    for pattern, code in _PROBLEMS:
        found = pattern.fullmatch(problem)
        if found is not None:
            params = found.groupdict()
            if code == "cli.usage.bad_lang":
                params["choices"] = ", ".join(LANGS)
            return msg(code, **params)
    return msg("cli.usage.other", problem=problem)
