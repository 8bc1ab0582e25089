"""The account admin, with one duty of the request workflow: disabling an account stands its volunteer down
(DESIGN §12: their open proposals are withdrawn, help they accepted goes back to matching, the requester is told)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from burenhulp.core.admin import UserAdmin
from burenhulp.core.models import User
from burenhulp.helprequests.stepback import volunteer_stand_down
from burenhulp.residents.models import Resident


class StandDownUserAdmin(UserAdmin):
    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in getattr(form, "changed_data", ()) and not obj.is_active:
            for resident in Resident.objects.filter(user=obj):
                volunteer_stand_down(volunteer=resident, by=request.user, reason="account disabled by an admin")


admin.site.unregister(User)
admin.site.register(User, StandDownUserAdmin)
