"""``tuoyu serve``: the HTTP JSON service (:mod:`tuoyu_rules.server`), on uvicorn.

    tuoyu serve [--host 127.0.0.1] [--port 8000] [--workers N] [--token-file PATH]
                [--max-body-bytes N] [--max-batch-rows N] [--max-batch-bytes N] [--access-log]

Binds to the loopback by default: only this machine can reach it (put a reverse proxy in front to serve
others; see ``docs/how-to/serve.md``). A bearer token, from ``--token-file`` or the environment variable
``TUOYU_TOKEN``, makes every request but ``GET /healthz`` need ``Authorization: Bearer <token>``. Needs the extra
``server``; without it the command says so in one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
from typing import Any, TextIO

from ..core.errors import InvalidInput
from ..core.messages import msg
from ..server.settings import (
    DEFAULT_MAX_BATCH_BYTES,
    DEFAULT_MAX_BATCH_ROWS,
    DEFAULT_MAX_BODY_BYTES,
    TOKEN_ENV,
    Settings,
)
from .common import EXIT_OK, BadInput, os_problem, warn
from .lang import said

APP = "tuoyu_rules.server.app:create_app"
"""What uvicorn builds in each worker (a factory: settings come from the environment)."""

MISSING_EXTRA = msg(
    "cli.serve.missing_extra", extra="'server'", what="FastAPI, uvicorn", fix="pip install 'tuoyu_rules[server]'"
)

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "tuoyu_rules.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
"""Every log line to standard error (the command's standard output is for its result, and there is none)."""


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(said(msg("cli.serve.not_positive", value=repr(text))))
    return int(text)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(said(msg("cli.serve.bad_port", value=repr(text))))
    return int(text)


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``serve`` to the ``tuoyu`` command."""
    s = sub.add_parser("serve", help="run the HTTP JSON service (extra 'server')")
    s.add_argument("--host", default="127.0.0.1", help="the address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=_port, default=8000, help="the port (default 8000)")
    s.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")
    s.add_argument(
        "--token-file",
        metavar="PATH",
        help=f"require this bearer token (the file's text) on every request but /healthz; or set {TOKEN_ENV}",
    )
    s.add_argument("--max-body-bytes", type=_positive, default=DEFAULT_MAX_BODY_BYTES, help="largest body of /assess")
    s.add_argument("--max-batch-rows", type=_positive, default=DEFAULT_MAX_BATCH_ROWS, help="most rows of a batch")
    s.add_argument("--max-batch-bytes", type=_positive, default=DEFAULT_MAX_BATCH_BYTES, help="largest batch body")
    s.add_argument("--access-log", action="store_true", help="log every request (on standard error)")
    s.set_defaults(func=_cmd_serve)


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file is None:
        return os.environ.get(TOKEN_ENV) or None
    try:
        with open(args.token_file, encoding="utf-8") as handle:
            token = handle.read(4096).strip()
    except OSError as exc:
        problem = os_problem(exc)
        raise BadInput(
            msg("cli.serve.token_unreadable", option="--token-file", path=args.token_file, problem=problem)
        ) from None
    except UnicodeDecodeError:
        raise BadInput(
            msg("cli.serve.token_not_utf8", option="--token-file", path=args.token_file, encoding="UTF-8")
        ) from None
    if not token:
        raise BadInput(msg("cli.serve.token_empty", option="--token-file", path=args.token_file))
    return token


def _cmd_serve(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        raise BadInput(MISSING_EXTRA)
    try:
        settings = Settings(
            token=_token(args),
            max_body_bytes=args.max_body_bytes,
            max_batch_rows=args.max_batch_rows,
            max_batch_bytes=args.max_batch_bytes,
        )
    except InvalidInput as exc:
        field = "--token-file" if exc.field == "token" else exc.field
        raise BadInput(msg("cli.serve.bad_setting", field=field, problem=exc.problem)) from None
    if args.host not in LOOPBACK and settings.token is None:
        warn(msg("cli.serve.no_token", host=args.host))
    os.environ.update(settings.to_env())  # each worker builds the app from the environment
    uvicorn = importlib.import_module("uvicorn")
    try:
        uvicorn.run(
            APP,
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=LOG_CONFIG,
            access_log=args.access_log,
            server_header=False,
        )
    except SystemExit as exc:  # uvicorn could not start (the port is taken, say): its log line said why
        if exc.code:
            raise BadInput(msg("cli.serve.could_not_serve", host=args.host, port=args.port)) from None
    return EXIT_OK
