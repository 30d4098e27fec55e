"""Let the compiler tests import their shared models (`compiler_models`) by name."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
