from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Section, ServiceUnit, User


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "report_approver"]
    inlines = [SectionInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "section", "is_active"]
    list_filter = ["role", "unit", "section", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and place of work"), {"fields": ("role", "unit", "section")}),
        (_("Sign-in through the identity provider"), {"fields": ("external_id",)}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and place of work"), {"fields": ("role", "unit", "section")}),
    )
