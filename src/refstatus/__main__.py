"""``python -m refstatus``: the same as the ``refstatus`` command."""

import sys

from .cli import main

sys.exit(main())
