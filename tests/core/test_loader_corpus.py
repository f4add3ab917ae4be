"""Every file in corpus/bad is a different mistake; each must be refused precisely.

A bad file carries its expectation in its first two lines:
    # expect-place: steps[1].duration
    # expect: "-5s" is not a duration
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loosen.core.library import load_library

CORPUS = Path(__file__).parent / "corpus"
BAD_FILES = sorted((CORPUS / "bad").glob("*.toml"))


def _expectation(path: Path) -> tuple[str, str]:
    head = path.read_bytes().split(b"\n")[:2]
    place = head[0].decode().removeprefix("# expect-place:").strip()
    message = head[1].decode().removeprefix("# expect:").strip()
    return place, message


def test_the_corpus_is_large_and_every_file_states_its_expectation():
    assert len(BAD_FILES) >= 60
    for path in BAD_FILES:
        first = path.read_bytes().split(b"\n")[0]
        assert first.startswith(b"# expect-place:"), path.name


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_each_mistake_is_refused_with_file_place_and_reason(path: Path):
    place, fragment = _expectation(path)
    library = load_library(CORPUS / "library", None, CORPUS / "pictures", extra_files=[path])
    errors = library.errors_for([path])
    assert errors, f"{path.name} loaded without complaint"
    assert not any(r.path == path for r in library), "a bad file must not load"
    messages = [str(e) for e in errors]
    matching = [e for e in errors if e.place == place and fragment in e.message]
    assert matching, f"expected {place!r}: {fragment!r}; got {messages}"
    for message in messages:
        assert message.startswith(f"{path}: "), "every error names its file"
        assert "\n" not in message.strip() or "TOML" in message, "one line per error"
    # The fixture library still loads around the bad file.
    assert {"squat-and-fold", "easy-run"} <= set(library.routines)
