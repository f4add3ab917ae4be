"""The library: built-in and user routines side by side, references resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from loosen import paths
from loosen.core.library import RoutineNotFound, load_library, routine_digest
from loosen.core.loader import read_routine_file
from loosen.core.routine import Kind, Source
from loosen.core.routine_schema import MAX_FILE_BYTES


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


HOLD = '[[steps]]\nname = "Hold"\nduration = "45s"\n'


@pytest.fixture
def builtin(tmp_path: Path) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    write(
        folder,
        "squat-and-fold.toml",
        'format = 1\nname = "Squat and fold"\nkind = "break"\n'
        '[defaults]\nrest = "2s"\nswitch = "1s"\n'
        '[[steps]]\nname = "Deep squat"\nduration = "20s"\n'
        '[[steps]]\nname = "Fold"\nduration = "20s"\nsides = true\n',
    )
    write(folder, "cooldown.toml", 'format = 1\nname = "Cooldown"\nkind = "cooldown"\n' + HOLD)
    return folder


@pytest.fixture
def user(tmp_path: Path) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    return folder


def test_loads_builtin_and_user_routines_side_by_side(builtin, user):
    write(user, "mine.toml", 'format = 1\nname = "Mine"\nkind = "strength"\n' + HOLD)
    library = load_library(builtin, user)
    assert not library.errors
    assert set(library.routines) == {"squat-and-fold", "cooldown", "mine"}
    assert library.get("mine").source is Source.USER
    assert library.get("cooldown").source is Source.BUILT_IN


def test_a_user_file_with_the_same_id_overrides_the_builtin(builtin, user):
    write(
        user,
        "anything.toml",
        'format = 1\nid = "cooldown"\nname = "My cooldown"\nkind = "cooldown"\n' + HOLD,
    )
    library = load_library(builtin, user)
    assert library.get("cooldown").name == "My cooldown"
    assert library.get("cooldown").source is Source.USER
    assert library.overridden == ("cooldown",)


def test_a_broken_override_leaves_the_builtin_in_place(builtin, user):
    write(user, "cooldown.toml", 'format = 1\nname = "Broken"\n[[steps]]\nname = "X"\n')
    library = load_library(builtin, user)
    assert library.get("cooldown").name == "Cooldown"
    assert [e.place for e in library.errors] == ["steps[1]"]


def test_one_bad_file_never_stops_the_others(builtin, user):
    write(user, "a.toml", "this is not toml")
    write(user, "b.toml", 'format = 1\nname = "B"\n' + HOLD)
    (user / "c.toml").write_bytes(b"\xff\xfe\x00garbage")
    library = load_library(builtin, user)
    assert "b" in library.routines
    assert {e.path.name for e in library.errors} == {"a.toml", "c.toml"}


def test_two_user_files_with_one_id_keep_the_first_and_report_the_second(builtin, user):
    write(user, "a.toml", 'format = 1\nid = "same"\nname = "First"\n' + HOLD)
    write(user, "b.toml", 'format = 1\nid = "same"\nname = "Second"\n' + HOLD)
    library = load_library(builtin, user)
    assert library.get("same").name == "First"
    (error,) = library.errors
    assert error.path.name == "b.toml" and error.place == "id"
    assert "already used by" in error.message


def test_the_id_defaults_to_the_file_name(builtin, user):
    write(user, "evening-stretch.toml", 'format = 1\nname = "Evening"\n' + HOLD)
    assert load_library(builtin, user).get("evening-stretch").name == "Evening"


def test_built_in_defaults_apply_when_nothing_says(builtin, user):
    write(user, "plain.toml", 'format = 1\nname = "Plain"\n' + HOLD)
    routine = load_library(builtin, user).get("plain")
    (step,) = routine.steps
    assert (step.rest_s, step.countdown, step.switch_s, step.sets, step.sides) == (
        10,
        3,
        5,
        1,
        False,
    )
    assert routine.get_ready_s == 5
    assert routine.kind is Kind.STRENGTH  # no kind and no [interval]


def test_defaults_table_then_step_keys_override(builtin, user):
    write(
        user,
        "tuned.toml",
        'format = 1\nname = "Tuned"\n[defaults]\nrest = "20s"\ncountdown = 5\n'
        'get_ready = "0s"\nswitch = "3s"\nsets = 2\nsides = true\ntempo = "2s"\n'
        '[[steps]]\nname = "A"\nduration = "30s"\n'
        '[[steps]]\nname = "B"\nreps = 10\nrest = "5s"\nsides = false\n'
        '[[steps]]\nname = "C"\nreps = 3\ntempo = "4s"\ncountdown = 0\n',
    )
    a, b, c = load_library(builtin, user).get("tuned").steps
    assert (a.rest_s, a.countdown, a.switch_s, a.sets, a.sides, a.tempo_s) == (
        20,
        5,
        3,
        2,
        True,
        None,
    )  # tempo only goes with reps
    assert (b.rest_s, b.sides, b.tempo_s, b.work_s) == (5, False, 2, 20)
    assert (c.tempo_s, c.countdown, c.work_s) == (4, 0, 12)


def test_reps_without_tempo_are_open_ended(builtin, user):
    write(user, "open.toml", 'format = 1\nname = "Open"\n[[steps]]\nname = "Squat"\nreps = 2\n')
    (step,) = load_library(builtin, user).get("open").steps
    assert step.open_ended and step.work_s is None


def test_include_inlines_steps_with_the_included_routines_own_defaults(builtin, user):
    write(
        user,
        "combo.toml",
        'format = 1\nname = "Combo"\n[defaults]\nrest = "30s"\n'
        + HOLD
        + '[[steps]]\ninclude = "squat-and-fold"\n',
    )
    steps = load_library(builtin, user).get("combo").steps
    assert [s.name for s in steps] == ["Hold", "Deep squat", "Fold"]
    assert steps[0].rest_s == 30
    assert steps[1].rest_s == 2 and steps[2].switch_s == 1  # squat-and-fold's defaults


def test_includes_nest(builtin, user):
    write(user, "outer.toml", 'format = 1\nname = "Outer"\nsteps = [{ include = "middle" }]\n')
    write(
        user,
        "middle.toml",
        'format = 1\nname = "Middle"\nsteps = [{ include = "cooldown" }, '
        '{ include = "squat-and-fold" }]\n',
    )
    steps = load_library(builtin, user).get("outer").steps
    assert [s.name for s in steps] == ["Hold", "Deep squat", "Fold"]


def test_an_include_cycle_is_refused_and_named(builtin, user):
    write(user, "a.toml", 'format = 1\nname = "A"\n' + HOLD + '[[steps]]\ninclude = "b"\n')
    write(user, "b.toml", 'format = 1\nname = "B"\nsteps = [{ include = "a" }]\n')
    library = load_library(builtin, user)
    assert "a" not in library.routines and "b" not in library.routines
    messages = [str(e) for e in library.errors]
    assert any("includes itself (a → b → a)" in m for m in messages), messages
    assert all(e.path.name in {"a.toml", "b.toml"} for e in library.errors)


def test_including_a_routine_that_failed_says_so(builtin, user):
    write(user, "broken.toml", 'format = 1\nname = "Broken"\n[[steps]]\nname = "X"\n')
    write(user, "uses.toml", 'format = 1\nname = "Uses"\nsteps = [{ include = "broken" }]\n')
    library = load_library(builtin, user)
    assert "uses" not in library.routines
    assert any(
        e.path.name == "uses.toml" and '"broken" did not load (broken.toml has errors)' in e.message
        for e in library.errors
    )


def test_a_run_resolves_its_break_routine(builtin, user):
    write(
        user,
        "run.toml",
        'format = 1\nname = "Run"\n[interval]\nactivity = "Running"\nevery = "15-20m"\n'
        'total = "1h"\nbreak = "squat-and-fold"\n',
    )
    run = load_library(builtin, user).get("run")
    assert run.kind is Kind.RUN  # inferred from [interval]
    assert run.interval.break_routine.id == "squat-and-fold"
    assert (run.interval.every.start_s, run.interval.every.end_s) == (900, 1200)
    assert run.interval.total_s == 3600


def test_images_are_found_next_to_the_file_then_among_the_builtin_pictures(builtin, user, tmp_path):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "plank.svg").write_text("<svg/>")
    (user / "own.svg").write_text("<svg/>")
    write(
        user,
        "pics.toml",
        'format = 1\nname = "Pics"\n'
        '[[steps]]\nname = "A"\nduration = "30s"\nimage = "own.svg"\n'
        '[[steps]]\nname = "B"\nduration = "30s"\nimage = "plank.svg"\n',
    )
    a, b = load_library(builtin, user, pictures).get("pics").steps
    assert a.image == user / "own.svg"
    assert b.image == pictures / "plank.svg"


def test_an_image_link_that_leads_outside_the_folder_is_refused(builtin, user, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>")
    (user / "sneaky.svg").symlink_to(secret)
    write(
        user,
        "link.toml",
        'format = 1\nname = "Link"\n[[steps]]\nname = "A"\nduration = "30s"\n'
        'image = "sneaky.svg"\n',
    )
    library = load_library(builtin, user)
    assert "link" not in library.routines
    assert any(e.place == "steps[1].image" and "outside" in e.message for e in library.errors)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(user):
    path = user / "huge.toml"
    path.write_text('format = 1\nname = "Huge"\n' + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    parsed = read_routine_file(path)
    assert parsed.draft is None
    assert "at most 256 KiB" in str(parsed.errors[0])


def test_a_folder_named_like_a_routine_is_reported_not_fatal(builtin, user):
    (user / "folder.toml").mkdir()
    write(user, "fine.toml", 'format = 1\nname = "Fine"\n' + HOLD)
    library = load_library(builtin, user)
    assert "fine" in library.routines
    assert any("is a folder" in e.message for e in library.errors)


def test_a_byte_order_mark_is_tolerated(user):
    path = user / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ('format = 1\nname = "Bom"\n' + HOLD).encode())
    assert read_routine_file(path).draft is not None


def test_missing_folders_give_an_empty_library(tmp_path):
    library = load_library(tmp_path / "nope", tmp_path / "nothing")
    assert len(library) == 0 and not library.errors


def test_the_digest_follows_content_not_location(builtin, user, tmp_path):
    write(user, "combo.toml", 'format = 1\nname = "Combo"\nsteps = [{ include = "cooldown" }]\n')
    before = load_library(builtin, user).get("combo").digest
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "combo.toml").write_text((user / "combo.toml").read_text())
    assert load_library(builtin, moved).get("combo").digest == before
    # Changing the included routine changes what combo does, so its digest changes.
    write(
        user,
        "cooldown.toml",
        'format = 1\nname = "Cooldown"\n[[steps]]\nname = "Hold"\nduration = "50s"\n',
    )
    after = load_library(builtin, user).get("combo")
    assert after.digest != before
    assert after.digest == routine_digest(after)


def test_find_suggests_the_near_miss(builtin):
    library = load_library(builtin, None)
    with pytest.raises(RoutineNotFound, match='did you mean "cooldown"'):
        library.find("cooldwn")


def test_find_says_why_a_file_of_that_name_failed_to_load(builtin, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    write(
        user, "my-typo.toml", 'format = 1\nname = "Typo"\n[[steps]]\nname = "A"\nduraton = "5s"\n'
    )
    library = load_library(builtin, user)
    with pytest.raises(
        RoutineNotFound, match=r'my-typo.toml failed to load: .*did you mean "duration"'
    ):
        library.find("my-typo")


def test_a_missing_routine_is_not_a_key_error(builtin):
    # Callers catch RoutineNotFound; a real KeyError from a bug must not read as "no routine".
    with pytest.raises(RoutineNotFound) as missing:
        load_library(builtin, None).find("nothing-like-it")
    assert not isinstance(missing.value, KeyError)


def test_xdg_data_home_moves_the_user_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    assert paths.user_routines_dir() == tmp_path / "elsewhere" / "loosen" / "routines"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    assert paths.settings_file().parent == tmp_path / "conf" / "loosen"
