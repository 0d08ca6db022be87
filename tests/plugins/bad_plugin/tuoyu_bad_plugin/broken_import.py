"""A plugin module that cannot be imported (a missing dependency)."""

import tuoyu_no_such_dependency  # type: ignore[import-not-found]  # noqa: F401


def load() -> None:  # pragma: no cover - never reached
    return None
