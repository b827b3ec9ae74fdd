"""Configuration pages for users, organisations and role assignments (administrators only).

Children's records are not here: they are changed only through the application's own
pages and services, which check scope and write the audit log.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shouwang.access.services import check_assignment, role_assignment_delete, role_assignment_save
from shouwang.accounts.models import Organisation, RoleAssignment, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "real_name", "phone", "is_active", "is_staff"]
    search_fields = ["username", "real_name", "phone"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Shouwang"), {"fields": ("real_name", "phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "org_type", "sector", "area", "active"]
    list_filter = ["org_type", "sector", "active"]
    search_fields = ["name_zh", "name_en"]
    autocomplete_fields = ["area"]


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "area", "organisation", "active"]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        candidate = RoleAssignment(
            user=cleaned.get("user"),
            role=cleaned.get("role"),
            area=cleaned.get("area"),
            organisation=cleaned.get("organisation"),
        )
        for field, messages in check_assignment(candidate).items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "area", "organisation", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__real_name", "area__name_zh"]
    autocomplete_fields = ["user", "area", "organisation"]

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: object, change: bool
    ) -> None:
        role_assignment_save(actor=request.user, assignment=obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_assignment_delete(actor=request.user, assignment=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for obj in queryset:
            role_assignment_delete(actor=request.user, assignment=obj)  # type: ignore[arg-type]
