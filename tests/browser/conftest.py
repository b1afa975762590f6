"""The browser fixtures live in `support.py` so every test package can use them (see tests/conftest.py)."""

from .support import assert_accessible, sign_in  # noqa: F401  (fixtures come from tests/conftest.py)
