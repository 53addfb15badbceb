"""API fixtures (client; keys: two branches, one user per role) shared with tests/api."""

from tests.api.conftest import client, keys  # noqa: F401
