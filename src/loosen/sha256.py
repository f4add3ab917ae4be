"""SHA-256 digests, from Python's own implementation where it has one.

`hashlib` loads OpenSSL's libcrypto when first imported: 3 MB resident for the app,
a twentieth of a bare window's memory, for digests Python computes itself. The
digests are the same bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

# Python's own SHA-256, by the name each version gives its module.
_OWN_MODULES = ("_sha2", "_sha256")  # Python 3.12 and later; Python 3.11


def _own_sha256() -> Callable[[bytes], Any]:
    for name in _OWN_MODULES:
        try:
            return import_module(name).sha256  # type: ignore[no-any-return]
        except ImportError:
            continue
    from hashlib import sha256  # a Python built without its own: OpenSSL's

    return sha256


_sha256 = _own_sha256()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, as 64 hexadecimal digits."""
    digest: str = _sha256(data).hexdigest()
    return digest
