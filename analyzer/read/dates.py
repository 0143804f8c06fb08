"""Publication dates as written on pages and in scrape headers → ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


def iso_date(text: str | None) -> str | None:
    """The first plausible date in ``text`` ('2021-03-05 08:58', '2021年3月5日', '20210305') as ISO, else None."""
    if not text:
        return None
    for pattern in (_DATE, _COMPACT):
        for m in pattern.finditer(text):
            try:
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if 1990 <= d.year <= 2100:
                return d.isoformat()
    return None
