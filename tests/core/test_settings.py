"""Settings survive bad values and bad files without losing what the user wrote."""

from __future__ import annotations

import json
from dataclasses import replace

from loosen.core.cues import MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.settings import Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.json") == (Settings(), [])


def test_round_trip(tmp_path):
    path = tmp_path / "conf" / "settings.json"
    chosen = Settings(
        voice="en-gb",
        rate_wpm=140,
        volume=0.5,
        muted=True,
        beeps=False,
        countdown=5,
        start_full_screen=True,
        theme="dark",
    )
    save_settings(chosen, path)
    assert load_settings(path) == (chosen, [])


def test_a_bad_value_is_reported_by_key_and_the_rest_is_kept(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rate_wpm": 900, "volume": 0.3, "muted": "yes"}))
    settings, problems = load_settings(path)
    assert settings.volume == 0.3 and settings.rate_wpm == 160 and settings.muted is False
    assert problems == [
        f"{path}: rate_wpm: 900 is not allowed; use a whole number from 80 to 450 "
        "(using the default)",
        f'{path}: muted: "yes" is not allowed; use true or false (using the default)',
    ]


def test_true_is_not_a_number(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rate_wpm": True}))
    assert load_settings(path)[0].rate_wpm == 160


def test_a_file_that_is_not_json_is_kept_aside_not_lost(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    settings, (problem,) = load_settings(path)
    assert settings == Settings()
    (aside,) = tmp_path.glob("settings.json.unreadable-*")
    assert aside.read_text() == "{ not json"
    assert aside.name in problem


def test_keys_from_a_newer_version_survive_a_save(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"future_option": 42, "theme": "light"}))
    settings, problems = load_settings(path)
    assert problems == [] and settings.theme == "light"
    save_settings(replace(settings, theme="dark"), path)
    assert json.loads(path.read_text())["future_option"] == 42


def test_reminder_settings_default_to_off_with_squat_and_fold_every_15_to_20_minutes(tmp_path):
    settings = load_settings(tmp_path / "settings.json")[0]
    assert (settings.reminders, settings.reminder_routine, settings.reminder_every) == (
        False,
        "squat-and-fold",
        "15-20m",
    )
    chosen = replace(settings, reminders=True, reminder_routine="hip-openers", reminder_every="25m")
    save_settings(chosen, tmp_path / "settings.json")
    assert load_settings(tmp_path / "settings.json") == (chosen, [])


def test_bad_reminder_values_are_reported_by_key(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"reminders": 1, "reminder_routine": "../etc", "reminder_every": "30s"})
    )
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert problems == [
        f"{path}: reminders: 1 is not allowed; use true or false (using the default)",
        f'{path}: reminder_routine: "../etc" is not allowed; use a routine id like '
        '"squat-and-fold" (using the default)',
        f'{path}: reminder_every: "30s" is not allowed; use a time from 1m to 24h like "15m", '
        'or a window like "15-20m" (using the default)',
    ]


def test_reminder_intervals_that_are_allowed_and_not(tmp_path):
    path = tmp_path / "settings.json"
    for every, allowed in (
        ("15-20m", True),
        ("1m", True),
        ("24h", True),
        ("20-15m", False),
        ("25h", False),
        ("soon", False),
        ("", False),
    ):
        path.write_text(json.dumps({"reminder_every": every}))
        settings, problems = load_settings(path)
        assert (settings.reminder_every == every) is allowed and (not problems) is allowed


def test_the_settings_allow_every_rate_the_engine_and_the_command_line_do(tmp_path):
    path = tmp_path / "settings.json"
    for rate in (MIN_RATE_WPM, MAX_RATE_WPM):
        path.write_text(json.dumps({"rate_wpm": rate}))
        assert load_settings(path) == (Settings(rate_wpm=rate), [])
    for rate in (MIN_RATE_WPM - 1, MAX_RATE_WPM + 1):
        path.write_text(json.dumps({"rate_wpm": rate}))
        settings, (problem,) = load_settings(path)
        assert settings.rate_wpm == Settings().rate_wpm and "rate_wpm" in problem


def test_settings_kept_in_a_dotfiles_folder_by_a_link_are_saved_through_the_link(tmp_path):
    """Like an export, the settings are written through a symbolic link, not over it."""
    dotfiles = tmp_path / "dotfiles" / "loosen.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text(json.dumps({"theme": "light"}))
    path = tmp_path / "config" / "settings.json"
    path.parent.mkdir()
    path.symlink_to(dotfiles)

    save_settings(replace(Settings(), theme="dark"), path)

    assert path.is_symlink() and path.resolve() == dotfiles.resolve()
    assert json.loads(dotfiles.read_text())["theme"] == "dark"
    assert load_settings(path) == (replace(Settings(), theme="dark"), [])
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no leftovers


def test_a_link_to_nothing_is_set_aside_and_the_settings_saved_as_a_file(tmp_path):
    path = tmp_path / "settings.json"
    path.symlink_to(tmp_path / "gone" / "settings.json")
    save_settings(replace(Settings(), volume=0.5), path)
    assert path.is_file() and not path.is_symlink()
    assert load_settings(path) == (replace(Settings(), volume=0.5), [])
