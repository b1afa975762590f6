"""`/helse/`: is this instance fit to take requests? For a load balancer or a container runtime.

200 with the body "ok" when the database answers and every migration of the code is applied,
503 otherwise (with a one-word reason). No sign-in, no personal data, no audit row, no session:
the answer says nothing about anybody. The view runs outside the request's transaction
(ATOMIC_REQUESTS would open one before the view and fail with a 500 when the database is down).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def state(alias: str = DEFAULT_DB_ALIAS) -> str:
    """ "ok", "database" (it does not answer) or "migrations" (some are not applied)."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return "database"
    if unapplied:
        logger.warning(
            "Health check: %d migrations not applied, first %s",
            len(unapplied),
            unapplied[0][0],
        )
        return "migrations"
    return "ok"


@never_cache
@require_safe
@transaction.non_atomic_requests
def health(request):
    found = state()
    return HttpResponse(
        found, status=200 if found == "ok" else 503, content_type="text/plain; charset=utf-8"
    )
