"""aznews: build and publish the open corpus of Azerbaijani news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aznews")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"
