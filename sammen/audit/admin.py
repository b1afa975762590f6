from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: administrators may inspect the log but never add, change or delete rows."""

    list_display = ["at", "user", "action", "case_id", "object_type", "object_id", "path"]
    list_filter = ["action"]
    search_fields = ["=case_id", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
