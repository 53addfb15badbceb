"""Report tests reuse the API fixtures (client, keys)."""

from tests.api.conftest import client, keys  # noqa: F401
