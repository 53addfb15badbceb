from tests.api.conftest import client, keys

__all__ = ["client", "keys"]
