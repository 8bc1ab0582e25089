from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from burenhulp.core.forms import BrandingForm
from burenhulp.core.models import ApiToken, AuditLog, Branding, HelpLine, Neighbourhood, Street, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "language")}),
        ("Personal", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


class HelpLineInline(admin.TabularInline):
    """The emergency and help lines shown with a crisis; none for a language means the Belgian defaults."""

    model = HelpLine
    extra = 0


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "municipality", "match_radius_m", "requires_approval"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["coordinators"]
    inlines = [HelpLineInline, StreetInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "buurt"]
    list_filter = ["action", "target_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    form = BrandingForm
    list_display = ["name", "buurt", "municipality", "colour", "contact_line"]
    search_fields = ["name", "municipality", "buurt__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only the key's first characters and digest are stored: revoke a token by deleting it here."""

    list_display = ["user", "prefix", "created_at", "expires_at"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "expires_at"]
    search_fields = ["user__email", "prefix"]

    def has_add_permission(self, request: object) -> bool:
        return False
