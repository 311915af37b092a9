"""``python -m quotes``: see quotes.cli."""
import sys

from .cli import main

sys.exit(main())
