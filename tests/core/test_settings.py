"""Settings survive bad values and bad files without losing what the user wrote."""

from __future__ import annotations

import json
from dataclasses import replace

from loosen.core.settings import Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.json") == (Settings(), [])


def test_round_trip(tmp_path):
    path = tmp_path / "conf" / "settings.json"
    chosen = Settings(voice="en-gb", rate_wpm=140, volume=0.5, muted=True, beeps=False,
                      countdown=5, start_full_screen=True, theme="dark")  # fmt: skip
    save_settings(chosen, path)
    assert load_settings(path) == (chosen, [])


def test_a_bad_value_is_reported_by_key_and_the_rest_is_kept(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rate_wpm": 900, "volume": 0.3, "muted": "yes"}))
    settings, problems = load_settings(path)
    assert settings.volume == 0.3 and settings.rate_wpm == 160 and settings.muted is False
    assert problems == [
        f"{path}: rate_wpm: 900 is not allowed; use a whole number from 80 to 300 "
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
