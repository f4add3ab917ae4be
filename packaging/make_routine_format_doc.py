"""Writes the table of routine-file keys in docs/routine-format.md from the schema.

    .venv/bin/python packaging/make_routine_format_doc.py

The keys, their defaults, limits and help are declared once, in
`src/loosen/core/routine_schema.py`; this rewrites the part of the page between the two
markers from it and leaves the rest as written. A test fails while they disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from loosen.core.routine_schema import reference

PAGE = Path(__file__).resolve().parent.parent / "docs" / "routine-format.md"
BEGIN = "<!-- keys: written by packaging/make_routine_format_doc.py from the schema -->"
END = "<!-- end of keys -->"


def with_keys(page: str) -> str:
    """The page with the part between the markers made from the schema."""
    head, rest = page.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{reference()}\n{END}{tail}"


def main() -> int:
    text = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(with_keys(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
