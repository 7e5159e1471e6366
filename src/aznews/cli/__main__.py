"""``python -m aznews.cli``."""

from aznews.cli import main

main()
