from django.contrib import admin

from .models import VisitFlat


@admin.register(VisitFlat)
class VisitFlatAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active"]
    list_filter = ["unit", "is_active"]
