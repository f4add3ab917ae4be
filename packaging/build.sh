#!/bin/sh
# Build Loosen as a one-folder desktop bundle (PyInstaller) and smoke-test the result.
#
#   sh packaging/build.sh
#
# From a clean clone: makes a build venv in build/venv (never touching .venv, the test
# environment), installs Loosen from this checkout and PyInstaller into it, builds
# dist/loosen/ from packaging/loosen.spec, runs tests/test_bundle.py against the
# bundle, and prints the bundle's size and the build time. The only network use is pip
# fetching packages. Run it on the system you build for: PyInstaller does not
# cross-build (see packaging/README.md for macOS and Windows).
#
# The built bundle runs without Python. On Linux it still uses the system's espeak-ng
# for the voice (without it the app runs with beeps and says how to get a voice) and
# PulseAudio or PipeWire for sound, as the Qt wheels do.
set -eu

cd "$(dirname "$0")/.."
started=$(date +%s)

. packaging/find_python.sh
if [ -z "$python" ]; then
    echo "Building Loosen needs Python 3.11 or newer (run packaging/bootstrap.sh first)." >&2
    exit 1
fi

venv=build/venv
if [ ! -x "$venv/bin/python" ]; then
    echo "Making the build venv in $venv ..."
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
echo "Installing Loosen and PyInstaller into $venv ..."
# A regular (not editable) install: the wheel puts routines/ and assets/ inside the
# package, where the frozen app looks for them too. pytest and pytest-qt run the smoke
# test (pytest-qt because pyproject's pytest settings name its options).
# pip rebuilds and reinstalls a local project every time, so the bundle always gets
# this checkout's code although the version number stays the same.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "pyinstaller>=6.10,<7" "pytest>=8" "pytest-qt>=4.4" .

echo "Building dist/loosen/ ..."
rm -rf dist/loosen
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/loosen.spec
# The desktop files travel inside the bundle, with the script that installs them.
share=dist/loosen/share
mkdir -p "$share/applications" "$share/metainfo" "$share/icons/hicolor/scalable/apps"
cp packaging/linux/loosen.desktop "$share/applications/"
cp packaging/linux/io.github.loosen.Loosen.metainfo.xml "$share/metainfo/"
cp -R packaging/icons/hicolor/. "$share/icons/hicolor/"
cp assets/icons/loosen.svg "$share/icons/hicolor/scalable/apps/"
cp packaging/linux/install.sh dist/loosen/
built=$(date +%s)

echo "Smoke-testing the bundle ..."
# The size and times are printed whatever the result; the exit status is the test's.
status=0
LOOSEN_BUNDLE="$PWD/dist/loosen" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/test_bundle.py || status=$?
finished=$(date +%s)

# One file to hand out: unpack it anywhere, run install.sh inside (or loosen itself).
# Only a bundle that passed its smoke test is packed.
version=$(dist/loosen/loosen --version | cut -d" " -f2)
archive="dist/loosen-$version-linux-$(uname -m).tar.gz"
rm -f "$archive"
[ "$status" -eq 0 ] && tar -C dist -czf "$archive" loosen
packed=$(date +%s)

echo
echo "Bundle:     dist/loosen/ ($(du -sh dist/loosen | cut -f1)); start it with dist/loosen/loosen"
[ -f "$archive" ] && echo "Archive:    $archive ($(du -sh "$archive" | cut -f1))"
echo "Build time: $((built - started)) s (smoke test: $((finished - built)) s, archive: $((packed - finished)) s)"
[ "$status" -eq 0 ] || echo "The smoke test FAILED (exit $status): see above." >&2
exit "$status"
