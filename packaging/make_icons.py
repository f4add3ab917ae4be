"""Render Loosen's icon (assets/icons/loosen.svg) to the PNG sizes desktops want.

    python3 packaging/make_icons.py          # or .venv/bin/python, see below

Writes packaging/icons/hicolor/<N>x<N>/apps/loosen.png for N in 16 32 48 64 128 256 512
(16 and 32 from packaging/icons/loosen-small.svg, drawn to read at a few pixels),
laid out like an XDG icon theme so one copy installs them (packaging/linux/README.md).
The PNGs are committed; run this again after changing the SVG. It renders with
rsvg-convert (Debian: librsvg2-bin; the renderer GNOME itself uses) when present, and
otherwise with Qt's SVG renderer, which needs PySide6 (the project's .venv has it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "assets" / "icons" / "loosen.svg"
# The same drawing with heavier lines and no floor, for the smallest sizes.
SMALL_SOURCE = REPO / "packaging" / "icons" / "loosen-small.svg"
SMALL_UP_TO = 32
THEME = REPO / "packaging" / "icons" / "hicolor"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def render_with_rsvg(source: Path, size: int, out: Path) -> None:
    subprocess.run(
        [
            "rsvg-convert",
            "--width",
            str(size),
            "--height",
            str(size),
            "--output",
            str(out),
            str(source),
        ],
        check=True,
    )


def render_with_qt(source: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"Qt cannot read {source}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    render = render_with_rsvg if shutil.which("rsvg-convert") else render_with_qt
    for size in SIZES:
        out = THEME / f"{size}x{size}" / "apps" / "loosen.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        render(SMALL_SOURCE if size <= SMALL_UP_TO else SOURCE, size, out)
        print(out.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
