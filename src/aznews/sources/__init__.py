"""Stage 1, sources: the publisher registry and where articles come from."""

from aznews.sources.registry import (
    Publisher,
    Registry,
    RegistryError,
    default_registry_path,
    load_registry,
)

__all__ = ["Publisher", "Registry", "RegistryError", "default_registry_path", "load_registry"]
