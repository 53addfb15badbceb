"""The API fixtures (``client``, ``keys``) of tests/api, for the topics tests."""

from tests.api.conftest import client, keys

__all__ = ["client", "keys"]
