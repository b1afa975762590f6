# Sammen for those who run containers (docs/OPERATIONS.md, "Containers"). The Makefile stays the
# way to develop; this image runs the same production command as `make serve`.

# --- Build stage: the npm packages served as static files (Designsystemet's CSS, htmx) --------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# Only the runtime packages: the development tools of package.json stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The application: Python only, no Node -----------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sammen.settings \
    SAMMEN_BIND=0.0.0.0:8000 \
    SAMMEN_STATIC_ROOT=/app/staticfiles

# WeasyPrint's libraries (Pango, HarfBuzz) and a font for the PDFs; the PostgreSQL client for
# `manage.py backup` / `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user runs the application; it owns only what it must write.
RUN groupadd --system --gid 10001 sammen \
    && useradd --system --uid 10001 --gid sammen --home-dir /app --shell /usr/sbin/nologin sammen

WORKDIR /app

# The Python dependencies pinned in pyproject.toml (not the development ones), in their own layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY manage.py ./
COPY sammen ./sammen
COPY --from=assets /build/node_modules ./node_modules
RUN install -d -o sammen -g sammen /app/staticfiles /app/backups

USER sammen
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/helse/', timeout=4).status != 200)"]

# Migrate, collect the static files, gunicorn (sammen/serve.py; tests/ops/test_serve.py).
CMD ["python", "-m", "sammen.serve"]
