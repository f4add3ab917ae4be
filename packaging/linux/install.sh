#!/bin/sh
# Install the Loosen bundle for this user: the app, its launcher entry, icons, metadata.
#
#   sh install.sh              from inside an unpacked bundle (dist/loosen/ or the tarball)
#   sh install.sh --uninstall  remove all of it again (your history and routines stay)
#
# build.sh copies this script, loosen.desktop, the metainfo file and the icons into
# dist/loosen/. Nothing needs root: the app goes to ~/.local/lib/loosen, a `loosen`
# command to ~/.local/bin, the rest under ~/.local/share (XDG_DATA_HOME moves it), where
# menus and software centres look. After that, Loosen is in the applications menu.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
app_dir="$HOME/.local/lib/loosen"
bin_dir="$HOME/.local/bin"
sizes="16 32 48 64 128 256 512"

refresh() {
    # Menus pick the change up without a log-out where these tools exist.
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$app_dir"
    rm -f "$bin_dir/loosen" "$data/applications/loosen.desktop" \
        "$data/metainfo/io.github.loosen.Loosen.metainfo.xml" \
        "$data/icons/hicolor/scalable/apps/loosen.svg"
    for size in $sizes; do
        rm -f "$data/icons/hicolor/${size}x$size/apps/loosen.png"
    done
    refresh
    echo "Loosen is uninstalled. Your history and routines are still in $data/loosen."
    exit 0
fi

if [ ! -x "$here/loosen" ] || [ ! -d "$here/share" ]; then
    echo "Run this from inside the Loosen bundle (the folder with the loosen program)." >&2
    exit 1
fi

if [ "$here" != "$app_dir" ]; then
    rm -rf "$app_dir.new"
    mkdir -p "$(dirname "$app_dir")"
    cp -a "$here" "$app_dir.new"
    rm -rf "$app_dir"
    mv "$app_dir.new" "$app_dir"
fi
mkdir -p "$bin_dir" "$data/applications" "$data/metainfo" "$data/icons/hicolor/scalable/apps"
ln -sf "$app_dir/loosen" "$bin_dir/loosen"
# The menu entry starts the installed program by its full path: ~/.local/bin is not
# on every desktop session's PATH.
sed "s|^Exec=loosen$|Exec=\"$app_dir/loosen\"|" "$app_dir/share/applications/loosen.desktop" \
    > "$data/applications/loosen.desktop"
cp "$app_dir/share/metainfo/io.github.loosen.Loosen.metainfo.xml" "$data/metainfo/"
cp "$app_dir/share/icons/hicolor/scalable/apps/loosen.svg" "$data/icons/hicolor/scalable/apps/"
for size in $sizes; do
    mkdir -p "$data/icons/hicolor/${size}x$size/apps"
    cp "$app_dir/share/icons/hicolor/${size}x$size/apps/loosen.png" \
        "$data/icons/hicolor/${size}x$size/apps/"
done
refresh
echo "Loosen is installed: find it in your applications menu, or run $bin_dir/loosen."
if ! command -v espeak-ng >/dev/null 2>&1 && ! ldconfig -p 2>/dev/null | grep -q libespeak-ng; then
    echo "For the spoken cues, install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng)."
fi
