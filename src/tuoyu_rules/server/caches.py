"""The service's shared fact-keyed caches: one :class:`~tuoyu_rules.batch.RuleCache` per day and options.

Every request for the same day, what-if jurisdiction, rounding and language (with no pins and no reform) shares
one cache,
across requests and threads (the cache is thread-safe), so the engine runs once per distinct set of facts the
rules read. The caches are kept least recently used first, at most :data:`MAX_CACHES` of them, each bounded by
:data:`MAX_LEAVES` results: memory stays flat whatever days and jurisdictions the requests name.

Each cache answers in UTF-8 bytes (:class:`Answers`): the JSON of each stored result after the facility is kept as
bytes, so an answer is the facility's JSON and those bytes joined, never a 17 KB text encoded again per request.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any, Final

from pydantic import TypeAdapter

from ..batch import RuleCache
from ..core.messages import DEFAULT_LANG, Lang
from ..core.models import Facility

MAX_CACHES: Final = 64
"""The most caches kept (one per day, jurisdiction, rounding and language asked)."""

MAX_LEAVES: Final = 20_000
"""The most results each cache keeps before it is cleared."""

MAX_TAILS: Final = 1_024
"""The most results whose JSON each cache keeps as bytes before it forgets them (about 17 KB each; a workload with
more distinct results is answered as fast as without them, each encoded again)."""

Key = tuple[dt.date, str | None, str, Lang]

_FACILITY_JSON = TypeAdapter(Facility).dump_json
"""A facility's JSON as UTF-8 bytes: ``facility.model_dump_json().encode()`` without the text between."""
_HEAD = b'{"facility":'


class Answers:
    """A :class:`~tuoyu_rules.batch.RuleCache`'s answers as UTF-8 bytes: :meth:`json_bytes` of a row is exactly
    ``cache.assess_json(row).encode("utf-8")`` (tested), made from the facility's JSON and the stored result's,
    kept as bytes (:data:`MAX_TAILS` of them). Thread-safe, as the cache is."""

    __slots__ = ("_tails", "cache", "max_tails")

    def __init__(self, cache: RuleCache, max_tails: int = MAX_TAILS) -> None:
        self.cache = cache
        self.max_tails = max_tails
        self._tails: dict[object, bytes] = {}
        """The stored result (the cache's leaf: one object per result, never changed) -> its JSON after the
        facility's, as bytes."""

    def json_bytes(self, row: Any) -> bytes:
        """``row`` validated (:meth:`RuleCache.facility`) and assessed through the cache, as UTF-8 JSON bytes."""
        facility = self.cache.facility(row)
        head = _FACILITY_JSON(facility)
        leaf = self.cache.leaf(facility)
        tail = self._tails.get(leaf)
        if tail is None:
            whole = self.cache.ndjson(facility).encode("utf-8")
            start = len(_HEAD) + len(head) + 1
            if whole[:start] != _HEAD + head + b",":  # pragma: no cover - a change of the cache's JSON form
                return whole
            if len(self._tails) >= self.max_tails:
                self._tails.clear()
            tail = self._tails[leaf] = whole[start:]
        return b"".join((_HEAD, head, b",", tail))


class Caches:
    """The shared caches, by (day, what-if jurisdiction, rounding, language); thread-safe."""

    def __init__(self, max_caches: int = MAX_CACHES, max_leaves: int = MAX_LEAVES) -> None:
        self._caches: OrderedDict[Key, Answers] = OrderedDict()
        self._lock = threading.Lock()
        self.max_caches = max_caches
        self.max_leaves = max_leaves

    def get(self, on: dt.date, jurisdiction: str | None, rounding: str, lang: Lang = DEFAULT_LANG) -> RuleCache:
        """The cache for these options, made on first use (the least recently used goes when there are too many);
        its results' reasons are in ``lang``."""
        return self.answers(on, jurisdiction, rounding, lang).cache

    def answers(self, on: dt.date, jurisdiction: str | None, rounding: str, lang: Lang = DEFAULT_LANG) -> Answers:
        """The :class:`Answers` of the cache for these options (see :meth:`get`)."""
        key = (on, jurisdiction, rounding, lang)
        with self._lock:
            found = self._caches.get(key)
            if found is not None:
                self._caches.move_to_end(key)
                return found
            cache = RuleCache(
                on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=self.max_leaves, lang=lang
            )
            found = self._caches[key] = Answers(cache)
            if len(self._caches) > self.max_caches:
                self._caches.popitem(last=False)
            return found
