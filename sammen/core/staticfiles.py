"""The storage `collectstatic` writes STATIC_ROOT with (settings.STORAGES), served by WhiteNoise.

Every file under a name with its content's hash (served with a year's caching, so a new release
never meets an old copy in a browser), references inside CSS rewritten to those names, and a
gzip copy beside each compressible file. Only the hashed names are kept: templates always name
static files through `{% static %}`.

Brotli copies are not made, even where the `brotli` module happens to be installed: they took
ten times as long as everything else together (about 17 s of CPU at each `make serve`) for a
few kilobytes less than gzip on a handful of files.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
