"""Lets `python -m loosen` behave exactly like the `loosen` command."""

import sys

from loosen.cli import main

sys.exit(main())
