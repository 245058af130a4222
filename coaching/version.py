"""The installed package's version (one place; the report's provenance records it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("call-coaching")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
