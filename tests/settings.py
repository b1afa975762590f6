"""Settings for the test suite: production settings (debug off) with a throwaway secret key."""

import os

os.environ.setdefault("SAMMEN_SECRET_KEY", "tests-only-not-a-secret")

from sammen.settings import *  # noqa: E402, F403

# The suite runs without `collectstatic`: templates name the plain files and WhiteNoise finds them
# through the finders, as with debug on. tests/ops serves the collected, hashed files with gunicorn.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The suite loads the demo with debug off.
DEMO_ALLOWED = True
