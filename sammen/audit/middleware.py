from .models import AuditEvent
from .services import PENDING_ATTR


class DeferredAuditMiddleware:
    """Writes the audit rows of refused attempts after the view's transaction has ended.

    The view runs in its own transaction (ATOMIC_REQUESTS) and is rolled back when it refuses
    with Http404 or PermissionDenied; see `sammen.audit.services.audit_refusal`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, PENDING_ATTR, [])
        response = self.get_response(request)
        for fields in getattr(request, PENDING_ATTR):
            AuditEvent.objects.create(**fields)
        return response
