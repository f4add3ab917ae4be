#!/bin/sh
# Set up everything Loosen needs on this machine, then start the app or run the tests.
#
#   sh packaging/bootstrap.sh app [ARGS...]    start Loosen (ARGS go to `loosen`)
#   sh packaging/bootstrap.sh test [ARGS...]   run ruff, mypy and the test suite (ARGS go to pytest)
#
# On Debian/Ubuntu it installs the missing system packages (as root, or through sudo),
# then makes a virtual environment in .venv and installs the project into it. It only
# does what is missing, so the second run starts at once.
set -eu

cd "$(dirname "$0")/.."
what="${1:-}"
[ $# -gt 0 ] && shift
case "$what" in
    app|test) ;;
    *) echo "usage: sh packaging/bootstrap.sh app|test [ARGS...]" >&2; exit 2 ;;
esac

# Qt's libraries for a real window (xcb) and offscreen use, PulseAudio for
# QtMultimedia, espeak-ng for the voice, a font so text renders at all, libXss for
# the idle time on X11 (desk breaks count time away).
app_packages="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
 libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-glx0 libpulse0 libespeak-ng1 espeak-ng
 alsa-utils fonts-dejavu-core libxss1"
# Tests also take screenshots on a virtual screen, measure audio, and play cues
# into a PulseAudio null sink; strace proves the app opens no network connection.
# The presence tests move the mouse (xdotool), make a window full screen under a real
# window manager (openbox), run a private session bus (dbus) and read GNOME's
# do-not-disturb setting (gsettings and its schemas). A screen reader's view of the app
# is read over AT-SPI (at-spi2-core: the accessibility bus and its registry).
test_packages="xvfb xauth sox pulseaudio pulseaudio-utils strace xdotool openbox dbus
 libglib2.0-bin gsettings-desktop-schemas at-spi2-core"

. packaging/find_python.sh

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    wanted="$app_packages"
    [ "$what" = test ] && wanted="$wanted $test_packages"
    if [ -z "$python" ]; then
        wanted="$wanted python3 python3-venv"
    elif ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        wanted="$wanted python3-venv"
    fi
    missing=""
    for package in $wanted; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
            missing="$missing $package"
        fi
    done
    if [ -n "$missing" ]; then
        echo "Installing system packages:$missing"
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
    [ -z "$python" ] && python=python3
elif [ -z "$python" ]; then
    echo "Loosen needs Python 3.11 or newer; install it and run this again." >&2
    exit 1
fi

venv=.venv
extras=""
[ "$what" = test ] && extras="[test]"
stamp="$venv/.loosen-installed"
want_stamp="$extras $(cksum < pyproject.toml)"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || ! grep -qxF "$want_stamp" "$stamp"; then
    echo "Installing Loosen into $venv ..."
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet --editable ".$extras"
    # Keep the stamp for the widest install done, so `app` after `test` reinstalls nothing.
    echo "$want_stamp" >> "$stamp"
fi

if [ "$what" = app ]; then
    exec "$venv/bin/loosen" "$@"
fi
"$venv/bin/ruff" check src tests benchmarks
"$venv/bin/ruff" format --check --quiet src tests benchmarks
"$venv/bin/mypy"  # strict on the core and paths, as [tool.mypy] in pyproject.toml says
exec "$venv/bin/python" -m pytest "$@"
