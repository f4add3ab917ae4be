"""The session history: a SQLite store that loses nothing, its CSV/JSON form, and its stats.

from loosen.core.history import HistoryStore
with HistoryStore.open(paths.history_db()) as store:
    session = store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
    store.finish_session(session.uid, active_s=600, steps_done=8)
    store.rate(session.uid, 3, note="hips looser")
"""

from loosen.core.history.csvio import COLUMNS, CONTRACT_COLUMNS, CsvFileError, ParsedCsv, RowError
from loosen.core.history.importing import ImportCounts
from loosen.core.history.problems import HistoryError, Problem
from loosen.core.history.records import (
    SessionRecord,
    Status,
    closing_status,
    format_time,
    parse_time,
    utc_now,
)
from loosen.core.history.store import HistoryStore

__all__ = [
    "COLUMNS",
    "CONTRACT_COLUMNS",
    "CsvFileError",
    "HistoryError",
    "HistoryStore",
    "ImportCounts",
    "ParsedCsv",
    "Problem",
    "RowError",
    "SessionRecord",
    "Status",
    "closing_status",
    "format_time",
    "parse_time",
    "utc_now",
]
