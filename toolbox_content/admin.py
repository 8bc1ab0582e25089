from django.contrib import admin

from toolbox_content.models import LocalNote


@admin.register(LocalNote)
class LocalNoteAdmin(admin.ModelAdmin):
    list_display = ("title", "buurt", "language", "audience", "updated_at")
    list_filter = ("buurt", "language", "audience")
    search_fields = ("title", "body")
