"""The checks of a facility's fields beyond their types: its key (``Facility.id``) and the relations between its
counts (:data:`CROSS_FIELD_LIMITS`).

Each check refuses with a ``PydanticCustomError`` whose type is a code of ``core/errors.toml`` and whose message
is that code's English template, its parameters the error's context: pydantic's message stays English, and
:func:`tuoyu_rules.core.error_text.error_text` tells it in Chinese from the code. :mod:`tuoyu_rules.core.models`
uses them (and exports them again, where they always were).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, StrictStr
from pydantic_core import PydanticCustomError


class Limit(NamedTuple):
    """A cross-field relation of ``Facility``: ``field`` (its :func:`limited_amount`) is at most ``limit``."""

    field: str
    limit: str
    code: str
    """The error's code in ``core/errors.toml``."""
    message: str
    """The error text (the code's ``en`` template), with ``{value}`` (the amount) and ``{limit}`` (the limiting
    field's value)."""


CROSS_FIELD_LIMITS: tuple[Limit, ...] = (
    Limit(
        "enrolled",
        "places",
        "error.limit.enrolled_places",
        "enrolled ({value}) is more than places ({limit}); enrolled must be <= places",
    ),
    Limit(
        "first_intake",
        "places",
        "error.limit.first_intake_places",
        "first_intake ({value}) is more than places ({limit}); it must be <= places",
    ),
    Limit(
        "classes",
        "places",
        "error.limit.classes_places",
        "{value} children in classes is more than places ({limit})",
    ),
    Limit(
        "classes",
        "enrolled",
        "error.limit.classes_enrolled",
        "{value} children in classes is more than enrolled ({limit}); classes count enrolled children",
    ),
    Limit(
        "full_day_enrolled",
        "enrolled",
        "error.limit.full_day_enrolled",
        "full_day_enrolled ({value}) is more than enrolled ({limit}); it must be <= enrolled",
    ),
    Limit(
        "staff_children",
        "enrolled",
        "error.limit.staff_children_enrolled",
        "staff_children ({value}) is more than enrolled ({limit}); it must be <= enrolled",
    ),
)
"""Facility's cross-field rules, stated once: its validator reads this table (checked in this order, the first
relation broken on a field is its error; a relation is checked only when both fields are given and valid),
and so does the column checker of :mod:`tuoyu_rules.batch.columns`."""


def limited_amount(value: Any) -> int:
    """The amount a :data:`CROSS_FIELD_LIMITS` relation compares: a count itself, a tuple of counts its sum."""
    return sum(value) if isinstance(value, tuple) else value


def within_limits(value: Any, field: str, data: dict[str, Any]) -> Any:
    """``value`` of ``field`` when every relation of :data:`CROSS_FIELD_LIMITS` on it holds against the fields
    validated so far (``data``), in the table's order; the first one broken is the error."""
    if value is None:
        return value
    amount = limited_amount(value)
    for limit in CROSS_FIELD_LIMITS:
        if limit.field != field:
            continue
        bound = data.get(limit.limit)
        if isinstance(bound, int) and amount > bound:
            raise PydanticCustomError(limit.code, limit.message, {"value": amount, "limit": bound})
    return value


MAX_ID_LENGTH = 200
"""The longest ``Facility.id`` accepted (characters)."""


def plain_key(value: str) -> str:
    """``value`` if it is a usable key: 1 to :data:`MAX_ID_LENGTH` characters, none a control character."""
    if not value:
        raise PydanticCustomError(
            "error.id.empty",
            "an id is 1 to {max} characters; give none (null) rather than an empty one",
            {"max": MAX_ID_LENGTH},
        )
    if len(value) > MAX_ID_LENGTH:
        raise PydanticCustomError(
            "error.id.too_long",
            "an id of {length} characters; at most {max} are accepted",
            {"length": f"{len(value):,}", "max": MAX_ID_LENGTH},
        )
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        raise PydanticCustomError(
            "error.id.control",
            "an id holds the control character {char}; ids are printable text",
            {"char": f"U+{ord(bad):04X}"},
        )
    return value


def facility_key(value: object) -> str | None:
    """``value`` if it is a valid ``Facility.id``, else None: the key a bad row's report names, when the row has a
    usable one (a reader, a batch)."""
    if not isinstance(value, str):
        return None
    try:
        return plain_key(value)
    except ValueError:
        return None


FacilityId = Annotated[StrictStr, AfterValidator(plain_key)]
"""The caller's key for a facility (``Facility.id``): text, 1 to :data:`MAX_ID_LENGTH` characters, no control
characters (a line break in a key would split a CSV row or a log line)."""
