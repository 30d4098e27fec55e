"""All ops, by family. Importing this package registers them."""

from .elementwise import *  # noqa: F403
from .shape import *  # noqa: F403
