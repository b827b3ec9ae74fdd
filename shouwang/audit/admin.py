from django.contrib import admin
from django.http import HttpRequest

from shouwang.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only and written by services."""

    list_display = [
        "occurred_at",
        "actor_label",
        "action",
        "action_label",
        "target_type",
        "target_id",
        "area",
    ]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
