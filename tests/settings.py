"""Settings for the test suite: production settings (debug off) with a throwaway secret key."""

import os

os.environ.setdefault("SAMMEN_SECRET_KEY", "tests-only-not-a-secret")

from sammen.settings import *  # noqa: E402, F403
