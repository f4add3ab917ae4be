"""Loosen's figures, measured and printed: `python -m benchmarks [WHAT]` from the repository.

Each figure is printed beside its target. These are reports, not tests: run them on
an idle machine and read them; the test suite never asserts a time. They live outside
`src/` so that neither the wheel nor the bundle carries them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def child_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: ours) with the repository on PYTHONPATH, so that a child
    started from any folder imports `benchmarks` (`loosen` comes from the same place
    as ours: the environment's PYTHONPATH or the installed package)."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    return env
