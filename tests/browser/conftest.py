"""The browser fixtures live in `support.py` so every test package can use them (see tests/conftest.py)."""

from .support import assert_accessible, browser, new_page, page, sign_in  # noqa: F401
