"""Deterministic workbooks: the ZIP archive :func:`tuoyu_rules.io.to_excel` writes a workbook into, every member
stamped with :data:`WORKBOOK_TIME` (never the clock), so the same result gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["WORKBOOK_TIME", "StampedZip"]

WORKBOOK_TIME = dt.datetime(1980, 1, 1)
"""The created and modified dates of every workbook :func:`~tuoyu_rules.io.export.to_excel` writes, and the time
stamp of each member of its ZIP archive (the earliest a ZIP archive can hold): the same result always gives the same
bytes."""


class StampedZip(zipfile.ZipFile):
    """A ZIP archive whose members carry :data:`WORKBOOK_TIME`, not the clock's time or a file's."""

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add the file ``filename`` as the member ``arcname``, stamped like :meth:`writestr` (openpyxl writes
        each worksheet to a temporary file first, whose time stamp would otherwise be copied)."""
        self.writestr(str(arcname or filename), Path(filename).read_bytes(), compress_type, compresslevel)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write ``data`` as a member, stamped with :data:`WORKBOOK_TIME` when given by name."""
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=WORKBOOK_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # as ZipFile.writestr gives a member written by name
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
