"""The routine editor's document: a file changed a field at a time keeps everything else,
and its check is the loader's own, giving the plan the library will give."""

from __future__ import annotations

import difflib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loosen import paths
from loosen.core.duration import format_duration
from loosen.core.library import load_library
from loosen.core.plan import build_plan
from loosen.core.routine_document import (
    DEFAULTS_TABLE,
    INTERVAL_TABLE,
    DocumentError,
    LibraryContext,
    RoutineDocument,
    import_picture,
    shipped_pictures,
)
from loosen.core.routine_schema import DEFAULTS, EFFORT, STEP

BUILT_INS = sorted(paths.builtin_routines_dir().glob("*.toml"))

HAND_WRITTEN = """\
# My physio's routine, written by hand.
format = 1
name = "Physio routine"  # what she called it
kind = "strength"

[defaults]
rest = "5s"   # short rests, she said

# The first one is the important one.
[[steps]]
name = "Knee hug"
duration = "20s"  # hold it

[[steps]]
name = "Bridge"
reps = 8
tempo = "2s"
# end of the file
"""


def context() -> LibraryContext:
    return LibraryContext.read(paths.builtin_routines_dir(), None, paths.pictures_dir())


def copy_of(path: Path, folder: Path) -> Path:
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize("builtin", BUILT_INS, ids=lambda p: p.stem)
def test_a_built_in_opened_and_saved_unchanged_is_byte_identical(builtin, tmp_path):
    path = copy_of(builtin, tmp_path)
    document = RoutineDocument.open(path)
    assert not document.modified
    document.save()
    assert path.read_bytes() == builtin.read_bytes()


@pytest.mark.parametrize("builtin", BUILT_INS, ids=lambda p: p.stem)
def test_changing_one_field_changes_only_its_line(builtin, tmp_path):
    path = copy_of(builtin, tmp_path)
    before = builtin.read_text(encoding="utf-8")
    document = RoutineDocument.open(path)
    assert document.set("name", "Renamed")
    document.save()
    after = path.read_text(encoding="utf-8")
    (old, new) = changed_lines(before, after)
    assert old.startswith("-name = ") and new == '+name = "Renamed"'

    if document.step_count():
        document = RoutineDocument.open(path)
        assert document.step_set(0, "name", "First one")
        assert len(changed_lines(after, document.text())) == 2


@pytest.mark.parametrize("builtin", BUILT_INS, ids=lambda p: p.stem)
def test_setting_a_field_to_its_value_changes_nothing(builtin):
    document = RoutineDocument.open(builtin)
    for key in ("format", "id", "name", "kind", "summary", "caution"):
        value = document.get(key)
        if value is not None:
            assert not document.set(key, value)
    for index in range(document.step_count()):
        for key in document.step_keys(index):
            assert not document.step_set(index, key, document.step_get(index, key))
    assert document.text() == builtin.read_text(encoding="utf-8")


def test_a_whole_number_is_not_the_same_value_as_a_flag():
    document = RoutineDocument(HAND_WRITTEN, Path("mine.toml"))
    assert document.step_set(0, "sides", True)
    assert not document.step_set(0, "sides", True)
    assert document.step_set(0, "sides", 1)  # 1 == True in Python, not in a file
    assert type(document.step_get(0, "sides")) is int


def test_removing_a_field_removes_its_line_and_its_comment_only():
    document = RoutineDocument(HAND_WRITTEN, Path("mine.toml"))
    assert document.set("rest", None, DEFAULTS_TABLE)
    assert changed_lines(HAND_WRITTEN, document.text()) == [
        '-rest = "5s"   # short rests, she said'
    ]
    assert not document.set("caution", None)  # not there: nothing to remove


def test_a_hand_written_file_keeps_its_comments_through_edits(tmp_path):
    path = tmp_path / "physio.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    document = RoutineDocument.open(path)
    document.set("name", "Physio, week 2")
    document.set("get_ready", "3s", DEFAULTS_TABLE)
    document.step_set(0, "duration", "30s")
    document.step_set(1, "sides", True)
    document.add_step({"name": "Child's pose", "duration": "40s"})
    document.move_step(2, 0)
    document.save()
    text = path.read_text(encoding="utf-8")
    for comment in (
        "# My physio's routine, written by hand.",
        'name = "Physio, week 2"  # what she called it',
        'rest = "5s"   # short rests, she said',
        "# The first one is the important one.",
        'duration = "30s"  # hold it',
        "# end of the file",
    ):
        assert comment in text
    # New keys sit with their table's keys, not after its closing comment.
    assert 'rest = "5s"   # short rests, she said\nget_ready = "3s"\n' in text
    assert 'tempo = "2s"\nsides = true\n' in text
    result = RoutineDocument.open(path).check(context())
    assert result.valid, result.errors
    names = [phase.step for phase in result.plan.phases if phase.kind.value == "work"]
    assert names[:2] == ["Child's pose", "Knee hug"]


def test_a_new_defaults_table_goes_before_the_steps():
    text = 'format = 1\nname = "x"\n\n[[steps]]\nname = "a"\nduration = "5s"\n'
    document = RoutineDocument(text, Path("x.toml"))
    document.set("rest", "3s", DEFAULTS_TABLE)
    assert document.text().index("[defaults]") < document.text().index("[[steps]]")
    assert document.check(context()).valid


def test_steps_move_with_a_blank_line_between_them():
    document = RoutineDocument(HAND_WRITTEN, Path("mine.toml"))
    document.move_step(1, 0)
    text = document.text()
    assert 'tempo = "2s"\n# end of the file\n\n[[steps]]\nname = "Knee hug"' in text
    assert text.endswith('duration = "20s"  # hold it\n')  # no blank line moved to the end
    assert document.check(context()).valid
    document.remove_step(0)
    document.remove_step(0)
    assert document.step_count() == 0
    assert "steps" in document.check(context()).errors


def test_check_gives_the_loaders_messages_by_place():
    document = RoutineDocument(HAND_WRITTEN, Path("mine.toml"))
    document.step_set(0, "duration", "-5s")
    document.add_step({"include": "squat-and-fol"})
    result = document.check(context())
    assert not result.valid and result.plan is None
    (message,) = result.at("steps[1].duration")
    assert '"-5s" is not a duration' in message
    assert [place for place, _ in result.in_step(0)] == ["steps[1].duration"]
    assert result.in_step(1) == []

    document.step_set(0, "duration", "20s")  # fixed: now the include is looked up
    (message,) = document.check(context()).at("steps[3].include")
    assert 'did you mean "squat-and-fold"' in message


def test_check_includes_another_routine_and_gives_the_plan():
    document = RoutineDocument(HAND_WRITTEN, Path("mine.toml"))
    document.add_step({"include": "squat-and-fold"})
    result = document.check(context())
    assert result.valid
    steps = {phase.step for phase in result.plan.phases}
    assert {"Knee hug", "Bridge", "Deep squat, slowly"} <= steps
    assert result.plan.total_s == result.plan.phases[-1].end_s


def test_a_file_changed_on_disk_is_noticed_reloaded_or_overwritten(tmp_path):
    path = tmp_path / "physio.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    document = RoutineDocument.open(path)
    assert not document.changed_on_disk()
    document.set("name", "Mine")
    path.write_text(HAND_WRITTEN.replace("Knee hug", "Knee hold"), encoding="utf-8")
    assert document.changed_on_disk()

    document.reload()  # theirs: my change is gone, theirs is here
    assert document.get("name") == "Physio routine" and document.step_get(0, "name") == "Knee hold"
    assert not document.changed_on_disk() and not document.modified

    document.set("name", "Mine")
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    document.keep_mine()
    assert not document.changed_on_disk()
    document.save()
    assert 'name = "Mine"' in path.read_text(encoding="utf-8")


def test_a_file_that_is_not_toml_cannot_be_opened(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("format = 1\nname = \n", encoding="utf-8")
    with pytest.raises(DocumentError, match="not valid TOML"):
        RoutineDocument.open(path)


def test_a_picked_picture_is_copied_next_to_the_routine_under_a_safe_name(tmp_path):
    picked = tmp_path / "My Photos" / "Knee Hug (1).PNG"
    picked.parent.mkdir()
    picked.write_bytes(b"\x89PNG one")
    folder = tmp_path / "routines"
    assert import_picture(picked, folder) == "knee-hug-1.png"
    assert import_picture(picked, folder) == "knee-hug-1.png"  # the same: not copied again
    picked.write_bytes(b"\x89PNG two")
    assert import_picture(picked, folder) == "knee-hug-1-2.png"  # another: a name of its own
    assert (folder / "knee-hug-1.png").read_bytes() == b"\x89PNG one"
    with pytest.raises(ValueError, match="not a picture"):
        import_picture(tmp_path / "notes.txt", folder)

    path = folder / "mine.toml"
    document = RoutineDocument(HAND_WRITTEN, path)
    document.step_set(0, "image", "knee-hug-1.png")
    assert document.check(context()).valid  # found next to the routine


def test_the_shipped_pictures_are_offered():
    names = [p.name for p in shipped_pictures(paths.pictures_dir())]
    assert "glute-bridge.svg" in names and "README.md" not in names


# -- any routine the document can build loads back to the plan its check gave ----------


def _durations(spec, most: float) -> st.SearchStrategy[str | int]:
    low, high = spec.bounds()
    seconds = st.integers(int(max(low, 1) if low > 0 else 0), int(min(high, most)))
    return st.one_of(seconds, seconds.map(format_duration))


_names = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" ,'-"),
    min_size=1,
    max_size=int(STEP["name"].bounds()[1]),
).filter(lambda s: s.strip())


@st.composite
def _step_fields(draw) -> dict[str, str | int | bool]:
    if draw(st.integers(0, 9)) == 0:
        return {"include": "squat-and-fold"}
    fields: dict[str, str | int | bool] = {"name": draw(_names)}
    if draw(st.booleans()):
        fields["duration"] = draw(_durations(STEP["duration"], 300))
    else:
        fields["reps"] = draw(st.integers(1, 30))
        if draw(st.booleans()):
            tempo = draw(st.integers(1, 10))
            fields["tempo"] = format_duration(tempo)
    for key, strategy in (
        ("sets", st.integers(*map(int, STEP["sets"].bounds())).filter(lambda n: n <= 3)),
        ("sides", st.booleans()),
        ("rest", _durations(STEP["rest"], 60)),
        ("countdown", st.integers(*map(int, STEP["countdown"].bounds()))),
        ("switch", _durations(STEP["switch"], 10)),
        ("say", _names),
        ("image", st.sampled_from(["glute-bridge.svg", "front-plank.svg"])),
    ):
        if draw(st.booleans()):
            fields[key] = draw(strategy)
    return fields


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(_step_fields(), min_size=1, max_size=6),
    get_ready=_durations(DEFAULTS["get_ready"], 30),
    moves=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=3),
)
def test_any_routine_the_document_builds_loads_back_to_the_same_plan(steps, get_ready, moves):
    with tempfile.TemporaryDirectory() as folder:
        user_dir = Path(folder)
        path = user_dir / "built.toml"
        document = RoutineDocument('format = 1\nname = "Built"\n', path)
        document.set("kind", "strength")
        document.set("get_ready", get_ready, DEFAULTS_TABLE)
        for fields in steps:
            document.add_step(fields)
        for index, to in moves:
            if index < len(steps) and to < len(steps):
                document.move_step(index, to)
        result = document.check(
            LibraryContext.read(paths.builtin_routines_dir(), user_dir, paths.pictures_dir(), path)
        )
        assert result.valid, result.errors
        document.save()

        library = load_library(paths.builtin_routines_dir(), user_dir, paths.pictures_dir())
        assert library.errors == ()
        assert build_plan(library.find("built")) == result.plan


def test_a_runs_interval_is_edited_a_field_at_a_time():
    builtin = paths.builtin_routines_dir() / "long-easy-run.toml"
    before = builtin.read_text(encoding="utf-8")
    document = RoutineDocument(before, Path("my-run.toml"))
    assert document.get("every", "interval") == "15-20m"
    assert document.set("every", "10-12m", "interval")
    assert changed_lines(before, document.text()) == ['-every = "15-20m"', '+every = "10-12m"']
    result = document.check(context())
    assert result.valid
    first = result.plan.phases[0]
    assert (first.kind.value, first.duration_s) == ("activity", 12 * 60)

    document.set("break", "no-such-break", "interval")
    (message,) = document.check(context()).at("interval.break")
    assert 'no routine "no-such-break"' in message


# -- a run's efforts -----------------------------------------------------------------

SPRINTS = paths.builtin_routines_dir() / "sprint-session.toml"


def effort_names(document: RoutineDocument) -> list[str]:
    return [document.effort_get(i, "name") for i in range(document.effort_count())]


def planned_efforts(result) -> list[str]:
    """The efforts' names in the order the plan does them, up to the first break."""
    names = []
    for phase in result.plan.phases:
        if phase.kind.value != "activity":
            break
        names.append(phase.step)
    return names


def test_a_runs_efforts_are_read_and_saved_unchanged_byte_for_byte(tmp_path):
    path = copy_of(SPRINTS, tmp_path)
    document = RoutineDocument.open(path)
    assert effort_names(document) == ["Sprint 100 metres", "Walk back"]
    assert document.effort_get(1, "duration") == "1m45s"
    assert document.effort_keys(0) == ["name", "duration", "say"]
    for index in range(document.effort_count()):
        for key in document.effort_keys(index):
            assert not document.effort_set(index, key, document.effort_get(index, key))
    assert not document.modified
    document.save()
    assert path.read_bytes() == SPRINTS.read_bytes()


def test_an_efforts_field_changes_its_own_line_only():
    before = SPRINTS.read_text(encoding="utf-8")
    document = RoutineDocument(before, Path("my-sprints.toml"))
    assert document.effort_set(1, "duration", "1m30s")
    assert changed_lines(before, document.text()) == ['-duration = "1m45s"', '+duration = "1m30s"']
    assert document.effort_set(0, "say", None)
    assert len(changed_lines(before, document.text())) == 3  # the say line is gone too
    assert document.check(context()).valid


def test_efforts_are_added_moved_and_removed_and_the_plan_follows():
    before = SPRINTS.read_text(encoding="utf-8")
    document = RoutineDocument(before, Path("my-sprints.toml"))
    assert document.add_effort({"name": "Jog", "duration": "30s"}, at=1) == 1
    assert effort_names(document) == ["Sprint 100 metres", "Jog", "Walk back"]
    assert '\n\n[[interval.efforts]]\nname = "Jog"\nduration = "30s"\n\n' in document.text()
    document.move_effort(2, 0)
    assert effort_names(document) == ["Walk back", "Sprint 100 metres", "Jog"]
    result = document.check(context())
    assert result.valid, result.errors
    assert planned_efforts(result)[:4] == ["Walk back", "Sprint 100 metres", "Jog", "Walk back"]
    # Its own phases, the selected effort's, are the plan's activity phases of that name.
    assert {result.plan.phases[i].step for i in result.effort_phases(2)} == {"Jog"}

    document.move_effort(0, 2)
    document.remove_effort(1)
    assert document.text() == before  # moved back and taken out: the file as it was


def test_removing_the_last_effort_leaves_a_run_without_efforts():
    before = SPRINTS.read_text(encoding="utf-8")
    document = RoutineDocument(before, Path("my-sprints.toml"))
    document.remove_effort(1)
    document.remove_effort(0)
    assert document.effort_count() == 0
    text = document.text()
    assert "efforts" not in text and text.endswith('break = "squat-and-fold"\n')
    result = document.check(context())
    assert result.valid, result.errors
    assert result.plan.phases[0].step == "Sprint repeats with walk-backs"


def test_a_run_without_efforts_gets_them_and_gives_them_back_unchanged():
    before = (paths.builtin_routines_dir() / "long-easy-run.toml").read_text(encoding="utf-8")
    document = RoutineDocument(before, Path("my-run.toml"))
    document.add_effort({"name": "Stride", "duration": "20s"})
    document.add_effort({"name": "Easy", "duration": "2m"})
    assert 'break = "squat-and-fold"\n\n[[interval.efforts]]\nname = "Stride"' in document.text()
    assert planned_efforts(document.check(context()))[:3] == ["Stride", "Easy", "Stride"]
    document.remove_effort(0)
    document.remove_effort(0)
    assert document.text() == before


def test_an_inline_interval_gets_inline_efforts():
    text = (
        'format = 1\nname = "Run"\nkind = "run"\n'
        'interval = { activity = "Run", every = "15m", break = "squat-and-fold" }\n'
    )
    document = RoutineDocument(text, Path("inline-run.toml"))
    document.add_effort({"name": "Sprint", "duration": "20s"})
    assert 'efforts = [{name = "Sprint", duration = "20s"}]' in document.text()
    assert document.check(context()).valid


def test_an_efforts_mistakes_are_given_by_its_place():
    document = RoutineDocument(SPRINTS.read_text(encoding="utf-8"), Path("my-sprints.toml"))
    document.effort_set(1, "duration", "soon")
    document.effort_set(0, "reps", 3)
    result = document.check(context())
    assert not result.valid
    (message,) = result.at("interval.efforts[2].duration")
    assert '"soon"' in message
    assert [place for place, _ in result.in_effort(1)] == ["interval.efforts[2].duration"]
    assert [place for place, _ in result.in_effort(0)] == ["interval.efforts[1].reps"]
    assert result.in_step(0) == []


@st.composite
def _effort_fields(draw) -> dict[str, str | int]:
    fields: dict[str, str | int] = {
        "name": draw(_names),
        "duration": draw(_durations(EFFORT["duration"], 300)),
    }
    if draw(st.booleans()):
        fields["say"] = draw(_names)
    return fields


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    efforts=st.lists(_effort_fields(), min_size=1, max_size=4),
    every=st.sampled_from(["5m", "4-6m", "10m"]),
    moves=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=3),
    removed=st.lists(st.integers(0, 3), max_size=2),
)
def test_any_run_the_document_builds_loads_back_to_the_same_plan(efforts, every, moves, removed):
    with tempfile.TemporaryDirectory() as folder:
        user_dir = Path(folder)
        path = user_dir / "my-run.toml"
        document = RoutineDocument('format = 1\nname = "My run"\nkind = "run"\n', path)
        for key, value in (("activity", "Sprints"), ("every", every), ("total", "20m")):
            document.set(key, value, INTERVAL_TABLE)
        document.set("break", "squat-and-fold", INTERVAL_TABLE)
        for fields in efforts:
            document.add_effort(fields)
        for index, to in moves:
            if index < document.effort_count() and to < document.effort_count():
                document.move_effort(index, to)
        for index in removed:
            if index < document.effort_count():
                document.remove_effort(index)
        result = document.check(
            LibraryContext.read(paths.builtin_routines_dir(), user_dir, paths.pictures_dir(), path)
        )
        assert result.valid, result.errors
        document.save()

        library = load_library(paths.builtin_routines_dir(), user_dir, paths.pictures_dir())
        assert library.errors == ()
        saved = library.find("my-run")
        assert [effort.name for effort in saved.interval.efforts] == [
            document.effort_get(i, "name").strip() for i in range(document.effort_count())
        ]
        assert build_plan(saved) == result.plan
