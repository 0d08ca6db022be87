"""What the service is started with: :class:`Settings`, read from the environment.

``tuoyu serve`` writes its options into the environment before uvicorn starts, so that each worker process
(``--workers N``) builds the same application from the same settings (:meth:`Settings.from_env`). Nothing here
imports a web framework: ``tuoyu serve`` reads it to check its options even without the ``server`` extra.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ..core.errors import InvalidInput

TOKEN_ENV: Final = "TUOYU_TOKEN"
"""The optional bearer token: every request but ``GET /healthz`` must then carry
``Authorization: Bearer <token>``."""

MAX_BODY_ENV: Final = "TUOYU_SERVER_MAX_BODY_BYTES"
MAX_BATCH_ROWS_ENV: Final = "TUOYU_SERVER_MAX_BATCH_ROWS"
MAX_BATCH_BYTES_ENV: Final = "TUOYU_SERVER_MAX_BATCH_BYTES"
FAST_PATH_ENV: Final = "TUOYU_SERVER_FAST_PATH"
"""``0`` turns the fast path of ``POST /assess`` off (:mod:`~tuoyu_rules.server.fast`); ``1`` (or unset) keeps it."""

DEFAULT_MAX_BODY_BYTES: Final = 1_000_000
"""The largest body of ``POST /assess``, ``/compare`` and ``/fee`` (a facility is under 10 KB)."""
DEFAULT_MAX_BATCH_ROWS: Final = 1_000_000
"""The most rows a ``POST /assess/batch`` (and facilities a ``POST /budget``) may have."""
DEFAULT_MAX_BATCH_BYTES: Final = 256_000_000
"""The largest body of ``POST /assess/batch`` and ``POST /budget``."""

MIN_TOKEN_CHARS: Final = 16


@dataclass(frozen=True)
class Settings:
    """The service's limits and its optional bearer token."""

    token: str | None = None
    """Required as ``Authorization: Bearer <token>`` on every request but ``GET /healthz``; None: no token."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_batch_rows: int = DEFAULT_MAX_BATCH_ROWS
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES
    fast_path: bool = True
    """Answer the common ``POST /assess`` (a facility alone; ``on``, ``lang``, ``jurisdiction``) in front of the
    routes (:mod:`~tuoyu_rules.server.fast`): the same answers, faster. False: every request goes to the routes."""

    def __post_init__(self) -> None:
        """Check every limit (a positive whole number) and the token (see :func:`token_problem`)."""
        for name in ("max_body_bytes", "max_batch_rows", "max_batch_bytes"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise InvalidInput(name, f"{value!r} is not a whole number of at least 1")
        if type(self.fast_path) is not bool:
            raise InvalidInput("fast_path", f"{self.fast_path!r} is not True or False")
        if self.token is not None and (problem := token_problem(self.token)) is not None:
            raise InvalidInput("token", problem)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings ``tuoyu serve`` wrote into the environment (``env``: ``os.environ`` by default).

        :raises InvalidInput: a limit that is not a whole number, or a token that breaks :func:`token_problem`.
        """
        env = os.environ if env is None else env
        token = env.get(TOKEN_ENV) or None
        return cls(
            token=token,
            max_body_bytes=_whole(env, MAX_BODY_ENV, DEFAULT_MAX_BODY_BYTES),
            max_batch_rows=_whole(env, MAX_BATCH_ROWS_ENV, DEFAULT_MAX_BATCH_ROWS),
            max_batch_bytes=_whole(env, MAX_BATCH_BYTES_ENV, DEFAULT_MAX_BATCH_BYTES),
            fast_path=_switch(env, FAST_PATH_ENV, default=True),
        )

    def to_env(self) -> dict[str, str]:
        """The environment variables :meth:`from_env` reads back into these settings (the fast path's only when it
        is off: ``tuoyu serve`` writes these over the environment, where ``TUOYU_SERVER_FAST_PATH=0`` may be set)."""
        env = {
            MAX_BODY_ENV: str(self.max_body_bytes),
            MAX_BATCH_ROWS_ENV: str(self.max_batch_rows),
            MAX_BATCH_BYTES_ENV: str(self.max_batch_bytes),
        }
        if self.token is not None:
            env[TOKEN_ENV] = self.token
        if not self.fast_path:
            env[FAST_PATH_ENV] = "0"
        return env


def token_problem(token: str) -> str | None:
    """What is wrong with ``token`` as a bearer token, or None: at least :data:`MIN_TOKEN_CHARS` printable ASCII
    characters with no space (it travels in an HTTP header)."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"a token needs at least {MIN_TOKEN_CHARS} characters (e.g. the output of `openssl rand -hex 32`)"
    if not all("!" <= ch <= "~" for ch in token):
        return "a token is printable ASCII with no space or control character (it travels in an HTTP header)"
    return None


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(name, f"{text[:40]!r} is not a whole number")
    return int(text)


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name)
    if text is None or text == "":
        return default
    if text not in ("0", "1"):
        raise InvalidInput(name, f"{text[:40]!r} is not 0 (off) or 1 (on)")
    return text == "1"
