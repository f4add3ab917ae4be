"""Files a user (or a crash, or another program) can spoil: a history overwritten with
garbage, a settings file of random bytes or JSON, a CSV of random rows to import.

Each is tried for real; each must end with the user told in one line, the app
running, and nothing the user did lost. The routine loader's own fuzzing is in
tests/core/test_loader_fuzz.py.
"""

from __future__ import annotations

import io
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from history_testing import raw_rows
from loosen import paths
from loosen.core.history import HistoryStore
from loosen.core.history.csvio import read_csv, write_csv
from loosen.core.settings import Settings, load_settings, save_settings

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_a_history_overwritten_with_garbage_is_set_aside_whole_and_the_app_goes_on(
    launch_app, isolated_user_dirs
):
    db = paths.history_db()
    with HistoryStore.open(db) as store:
        store.start_session("post-run-cooldown", "Post-run cooldown", "cooldown")
    garbage = os.urandom(64 * 1024)
    db.write_bytes(garbage)

    child = launch_app("squat-and-fold", sessions=1)
    out, errors = child.communicate(timeout=60)
    assert child.returncode == 0 and "Traceback" not in errors, errors
    notices = [line for line in out.splitlines() if line.startswith("notice")]
    moved = db.parent.glob(f"{db.name}.corrupt-*")
    aside = [p for p in moved if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage  # every byte kept
    assert any(aside[0].name in notice for notice in notices), notices  # and the user told
    rated = [line.split()[1] for line in out.splitlines() if line.startswith("rated")]
    assert [uid for (uid,) in raw_rows(db, "SELECT uid FROM sessions")] == rated


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=10,
)
settings_like = st.dictionaries(
    st.sampled_from(
        [
            "voice",
            "rate_wpm",
            "volume",
            "muted",
            "beeps",
            "speak",
            "countdown",
            "theme",
            "start_full_screen",
            "seen_welcome",
            "reminders",
            "unknown",
        ]
    ),
    json_values,
)


@FUZZ
@given(content=st.binary(max_size=300) | settings_like.map(lambda d: json.dumps(d).encode()))
def test_any_settings_file_gives_settings_and_one_line_per_problem(content, tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    loaded, problems = load_settings(path)
    assert isinstance(loaded, Settings)
    assert all(isinstance(p, str) and "\n" not in p and str(path.name) in p for p in problems)
    save_settings(loaded, path)  # whatever was read can be written back and read again
    assert load_settings(path)[0] == loaded


csv_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@FUZZ
@given(rows=st.lists(st.lists(csv_cells, min_size=1, max_size=16), max_size=6))
def test_any_csv_gives_sessions_and_a_line_numbered_error_per_bad_row(rows):
    header = "id,uid,routine,routine_name,kind,started_at,ended_at,status"
    text = header + "\n" + "\n".join(",".join(cells) for cells in rows) + "\n"
    try:
        parsed = read_csv(io.StringIO(text))
    except ValueError as exc:  # a file that is not the export at all: one line
        assert "\n" not in str(exc)
        return
    for error in parsed.errors:
        assert error.line >= 2 and "\n" not in str(error.message)
    out = io.StringIO()
    write_csv(parsed.records, out)  # what was read can be exported again
    again = read_csv(io.StringIO(out.getvalue()))
    assert again.errors == [] and again.records == parsed.records
