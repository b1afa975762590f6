"""`manage.py backup [FILE]` (`make backup`): the whole database to a new file (core/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from sammen.core.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to a new file: pg_dump's custom format on PostgreSQL, "
        "SQLite's online backup on SQLite. The file holds personal data and is made readable "
        "by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="the new file (default: backups/sammen-<date>-<time>.pgdump or .sqlite3)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file=None, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if file:
            path = Path(file)
        else:
            folder = settings.PROJECT_DIR / "backups"
            path = default_path(connection.vendor, folder, timezone.localtime())
        try:
            result = backup(connection, path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {result.tables} tables ({result.vendor}) to {result.path} "
            f"({result.size} bytes)."
        )
