"""`manage.py restore FILE` (`make restore BACKUP_FILE=…`): replace the whole database with a
backup made by `manage.py backup` (core/backups.py). Stop the application first."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from sammen.core.backups import BackupError, check_file, describe_target, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`. Every table is "
        "dropped and loaded from the file. Stop the application first; run `migrate` after "
        "restoring a backup from an older version."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, interactive=True, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        try:
            check_file(connection, file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        target = describe_target(connection)
        if interactive:
            question = (
                f"This replaces everything in the {target} with the backup {file}.\n"
                "Type 'yes' to continue, anything else to stop: "
            )
            try:
                answer = input(question)
            except EOFError:
                raise CommandError(
                    "No answer (no terminal); nothing was changed. Use --noinput in scripts."
                ) from None
            if answer.strip().lower() != "yes":
                raise CommandError("Stopped; nothing was changed.")
        try:
            result = restore(connection, file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result.tables} tables ({result.vendor}) from {file} into the {target}."
        )
