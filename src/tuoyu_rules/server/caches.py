"""The service's shared fact-keyed caches: one :class:`~tuoyu_rules.batch.RuleCache` per day and options.

Every request for the same day, what-if jurisdiction, rounding and language (with no pins and no reform) shares
one cache,
across requests and threads (the cache is thread-safe), so the engine runs once per distinct set of facts the
rules read. The caches are kept least recently used first, at most :data:`MAX_CACHES` of them, each bounded by
:data:`MAX_LEAVES` results: memory stays flat whatever days and jurisdictions the requests name.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Final

from ..batch import RuleCache
from ..core.messages import DEFAULT_LANG, Lang

MAX_CACHES: Final = 64
"""The most caches kept (one per day, jurisdiction, rounding and language asked)."""

MAX_LEAVES: Final = 20_000
"""The most results each cache keeps before it is cleared."""

Key = tuple[dt.date, str | None, str, Lang]


class Caches:
    """The shared caches, by (day, what-if jurisdiction, rounding, language); thread-safe."""

    def __init__(self, max_caches: int = MAX_CACHES, max_leaves: int = MAX_LEAVES) -> None:
        self._caches: OrderedDict[Key, RuleCache] = OrderedDict()
        self._lock = threading.Lock()
        self.max_caches = max_caches
        self.max_leaves = max_leaves

    def get(self, on: dt.date, jurisdiction: str | None, rounding: str, lang: Lang = DEFAULT_LANG) -> RuleCache:
        """The cache for these options, made on first use (the least recently used goes when there are too many);
        its results' reasons are in ``lang``."""
        key = (on, jurisdiction, rounding, lang)
        with self._lock:
            cache = self._caches.get(key)
            if cache is not None:
                self._caches.move_to_end(key)
                return cache
            cache = RuleCache(
                on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=self.max_leaves, lang=lang
            )
            self._caches[key] = cache
            if len(self._caches) > self.max_caches:
                self._caches.popitem(last=False)
            return cache
