"""``python -m compare ...`` is the ``dualgraph`` command."""

import sys

from .cli import main

sys.exit(main())
