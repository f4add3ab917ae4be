"""Whatever a file holds, the loader answers with a routine or clear errors, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loosen.core.loader import read_routine_document, read_routine_file
from loosen.core.routine_schema import DEFAULTS, INTERVAL, STEP

FUZZ_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

durations = st.sampled_from(
    ["45s", "1m30s", "0s", "-5s", "2h", "15-20m", "20-15m", "", "45", "1.5s", "soon"]
)
scalars = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=30),
    durations,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


def table(keys: tuple[str, ...]) -> st.SearchStrategy[dict]:
    near_keys = st.sampled_from([*keys, "nmae", "sieds", "duraton", "x"])
    return st.dictionaries(near_keys, st.one_of(values, durations), max_size=len(keys) + 2)


steps = st.lists(
    st.one_of(table(STEP.keys), st.fixed_dictionaries({"include": st.text(max_size=12)})),
    max_size=5,
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "format": st.one_of(st.just(1), st.integers(), st.text(max_size=3)),
        "name": st.one_of(st.text(max_size=100), values),
        "kind": st.one_of(st.sampled_from(["warm-up", "cooldown", "run", "breaks"]), values),
        "id": st.one_of(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), values),
        "defaults": st.one_of(table(DEFAULTS.keys), values),
        "steps": st.one_of(steps, values),
        "interval": st.one_of(table(INTERVAL.keys), values),
        "summary": values,
    },
)


def _check(draft, errors, path: Path) -> None:
    assert (draft is None) == bool(errors), "either a routine or errors, never both or neither"
    for error in errors:
        text = str(error)
        assert text.startswith(f"{path}: ")
        assert error.message and error.message[0] not in " :"
    if draft is not None:
        assert (draft.name and draft.entries) or draft.interval is not None


@FUZZ_SETTINGS
@given(doc=documents)
def test_structured_documents_give_a_routine_or_errors(doc, tmp_path):
    path = tmp_path / "fuzz.toml"
    draft, errors = read_routine_document(doc, path)
    _check(draft, errors, path)


@FUZZ_SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_give_a_routine_or_errors(data, tmp_path):
    path = tmp_path / "bytes.toml"
    path.write_bytes(data)
    parsed = read_routine_file(path)
    _check(parsed.draft, parsed.errors, path)


@FUZZ_SETTINGS
@given(doc=documents)
def test_documents_written_as_toml_text_load_the_same_way(doc, tmp_path):
    # A tiny TOML writer: JSON strings and numbers are valid TOML values for these cases.
    lines = []
    for key, value in doc.items():
        if isinstance(value, str | int) and not isinstance(value, bool):
            lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "text.toml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    parsed = read_routine_file(path)
    _check(parsed.draft, parsed.errors, path)
