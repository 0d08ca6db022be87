"""Progress on standard error for the long commands of the ``tuoyu`` command line.

``budget``, ``sweep``, ``assess-many``, ``project``, ``compare`` and ``whatif`` ask :func:`progress_bar` for a
:class:`Bar` and hand it to the library as its ``progress=`` callback (the library calls it with the rows, cities
or months done so far: see :mod:`tuoyu_rules.batch.stream`). When standard error is a terminal
(``sys.stderr.isatty()``) the bar is one line redrawn in place with a carriage return, at most ten times a second:
what is done (out of how many, with a bar, when that is known), how many a second, and the time elapsed; at the
end it is drawn once more and ended with a newline. It waits one redraw interval before its first drawing, so a
command that ends at once writes nothing. When standard error is not a terminal (a file, a pipe, a service's
log) there is no bar and nothing is written: the output and the error lines are the same with it or without.

Standard library only; the words are the command line's (``cli.progress.*`` in ``cli/messages.toml``), in the
language asked. A terminal that can no longer be written (closed, or unable to encode the text) ends the bar
quietly: progress never fails a command.
"""

from __future__ import annotations

import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal, TextIO

from ..core.messages import Message
from .lang import said

__all__ = ["INTERVAL", "UNITS", "Bar", "Unit", "clear", "is_terminal", "progress_bar"]

Unit = Literal["rows", "cities", "months"]

UNITS: dict[str, str] = {"rows": "cli.progress.rows", "cities": "cli.progress.cities", "months": "cli.progress.months"}
"""What is counted -> the code of the bar's line."""

INTERVAL = 0.1
"""Seconds between two drawings of the bar, at least (so at most ten a second), and before the first."""

BAR_WIDTH = 20
"""The characters of the bar drawn when the total is known."""


class Bar:
    """A progress line on ``stream`` (a terminal), for the command ``command``: call it with the number done so
    far; :meth:`clear` before writing something else to the terminal; :meth:`close` at the end.

    ``clock`` gives the time in seconds (``time.monotonic``; a test passes its own).
    """

    def __init__(
        self,
        stream: TextIO,
        command: str,
        unit: Unit = "rows",
        total: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = INTERVAL,
    ) -> None:
        self._stream = stream
        self._command = command
        self._code = UNITS[unit]
        self._total = total
        self._clock = clock
        self._interval = interval
        self._start = clock()
        self._last = self._start  # the first drawing waits one interval: a quick command writes nothing
        self.done = 0
        """The number done, as last told."""
        self._width = 0  # of the line on the terminal now (0: none shown)
        self._drawn = False
        self._ended = False

    def __call__(self, done: int) -> None:
        """Take ``done``; redraw the line if the last drawing is at least one interval old."""
        self.done = done
        now = self._clock()
        if now - self._last >= self._interval:
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The line as it is drawn at ``now`` (default: the clock's time)."""
        elapsed = max((self._clock() if now is None else now) - self._start, 0.0)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        count, bar = f"{self.done:,}", ""
        if self._total:
            share = min(self.done / self._total, 1.0)
            filled = round(share * BAR_WIDTH)
            bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%} "
            count += f"/{self._total:,}"
        params = {"command": self._command, "bar": bar, "count": count, "rate": f"{rate:,.0f}"}
        return said(Message(self._code, (*params.items(), ("elapsed", _clock_time(elapsed)))))

    def clear(self) -> None:
        """Blank the line, so that other text written to the terminal starts a clean line; the next update draws
        the bar again."""
        if self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def close(self) -> None:
        """Draw the line a last time and end it with a newline (nothing, if it was never drawn); then no more."""
        if self._drawn and not self._ended:
            self._draw(self._clock())
            self._write("\n")
        self._ended = True

    def _draw(self, now: float) -> None:
        self._last = now
        text = self.line(now)
        width = _width(text)
        self._write("\r" + text + " " * max(self._width - width, 0))  # covers what a longer line left behind
        self._width = width
        self._drawn = True

    def _write(self, text: str) -> None:
        if self._ended:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # closed, or cannot encode the text (a UnicodeEncodeError is a ValueError)
            self._ended = True


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clock_time(seconds: float) -> str:
    """``M:SS``, or ``H:MM:SS`` from an hour on."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def is_terminal(stream: object) -> bool:
    """True when ``stream`` is a terminal (its ``isatty()``); False for anything else, a closed stream included."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def progress_bar(command: str, unit: Unit = "rows", total: int | None = None) -> Iterator[Bar | None]:
    """A :class:`Bar` for ``command`` on standard error when it is a terminal, closed (its last line ended) when
    the block ends, an error included; None when standard error is not a terminal (pass it on as
    ``progress=None``: no callback at all)."""
    stream = sys.stderr
    if stream is None or not is_terminal(stream):
        yield None
        return
    bar = Bar(stream, command, unit, total, interval=INTERVAL)
    try:
        yield bar
    finally:
        bar.close()


def clear(bar: Bar | None) -> None:
    """Blank ``bar``'s line, if there is one (before a warning or output goes to the terminal)."""
    if bar is not None:
        bar.clear()
