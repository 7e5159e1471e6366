"""The ``aznews`` command line: one module per command group (``release``, ``publish``,
``registry``, ``fetch``), sharing ``common`` (the app, the console, one-line failures). Each
module registers its commands when imported, in the order ``aznews --help`` lists them."""

from aznews.cli import release, publish, registry, fetch  # noqa: F401, I001
from aznews.cli.common import app, main

__all__ = ["app", "main"]
