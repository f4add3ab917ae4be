# Sourced by bootstrap.sh and build.sh: sets $python to the newest Python 3.11+ on the
# PATH, or to "" when there is none.
python=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
