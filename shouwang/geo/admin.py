from django.contrib import admin
from django.http import HttpRequest

from shouwang.geo.models import Area, AreaLevel
from shouwang.geo.services import area_save


@admin.register(AreaLevel)
class AreaLevelAdmin(admin.ModelAdmin):
    list_display = ["depth", "slug", "name_zh", "name_en"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]

    def save_model(self, request: HttpRequest, obj: Area, form: object, change: bool) -> None:
        area_save(area=obj)
