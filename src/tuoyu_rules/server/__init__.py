"""The HTTP service (``tuoyu serve``): the library as a JSON web API for systems not written in Python.

* :mod:`~tuoyu_rules.server.settings`: what the service is started with (limits, an optional bearer token), read
  from the environment so every worker process gets the same; no web framework needed to read it;
* :mod:`~tuoyu_rules.server.app`: :func:`~tuoyu_rules.server.app.create_app`, the FastAPI application, with the
  routes of :mod:`~tuoyu_rules.server.routes` (facilities) and :mod:`~tuoyu_rules.server.info` (jurisdictions,
  families, health and version);
* :mod:`~tuoyu_rules.server.bodies`: request bodies read by the library's one JSON reader
  (:func:`tuoyu_rules.core.jsonio.loads`), size-limited, and their models;
* :mod:`~tuoyu_rules.server.errors`: every error as a 4xx JSON answer naming the field and the rule broken;
* :mod:`~tuoyu_rules.server.fast`: the fast path of ``POST /assess`` (a facility alone), answered before the
  routing from the same caches with the route's own functions: the same answers;
* :mod:`~tuoyu_rules.server.caches`: the shared fact-keyed caches (one :class:`~tuoyu_rules.batch.RuleCache` per
  day and options, shared across requests and threads), answering in UTF-8 bytes;
* :mod:`~tuoyu_rules.server.openapi`: the OpenAPI document, with every model the service reads or writes, each
  property described in Chinese and English.

Needs the extra ``server`` (FastAPI on uvicorn): ``pip install 'tuoyu_rules[server]'``. Only the modules that
name FastAPI import it; importing this package alone does not.

What it may import: every package of ``tuoyu_rules`` except :mod:`tuoyu_rules.cli`. Nothing imports it except
:mod:`tuoyu_rules.cli` (``tuoyu serve``).
"""

from __future__ import annotations

from .settings import Settings

__all__ = ["Settings"]
