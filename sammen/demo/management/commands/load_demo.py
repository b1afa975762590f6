"""`manage.py load_demo [--reset]`: load the synthetic demo data and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sammen.demo.builder import DEFAULT_SEED, DEMO_PASSWORD, DEMO_URL, load_demo


class Command(BaseCommand):
    help = "Load synthetic demo data (one district service with staff and about 30 cases)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo unit's cases first, then load them again (staff are kept).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed for the random generator."
        )

    def handle(self, *args, reset=False, seed=DEFAULT_SEED, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError(
                "The demo creates users with a published password: it is loaded only with "
                "SAMMEN_DEBUG=true (make run) or SAMMEN_DEMO=true (a training installation)."
            )
        result = load_demo(reset=reset, seed=seed)
        if not result.created:
            self.stdout.write(
                f"The demo data already exists ({result.unit}); nothing loaded. "
                "Use --reset to delete the demo's cases and load them again."
            )
        else:
            if reset:
                self.stdout.write(f"Deleted {result.deleted_cases} demo cases.")
            counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo for {result.unit}: {counts}."))
        self._print_logins(result.users)

    def _print_logins(self, users):
        if not users:
            return
        rows = [
            (user.username, str(user.get_role_display()), str(user.section or "–"))
            for user in users
        ]
        headers = ("Username", "Role", "Section")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(*cells):
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write("Demo logins:")
        self.stdout.write(line(*headers))
        self.stdout.write(line(*("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line(*row))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write(f"Open {DEMO_URL} and log in.")
