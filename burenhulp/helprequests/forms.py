"""Forms for residents: asking for help and the follow-up. The request's own checks live in `validation.py`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.categories import ICONS, Category
from burenhulp.helprequests.models import DESCRIPTION_MAX, CameInBy, FollowUp
from burenhulp.helprequests.validation import validate_request_input
from matching.rules import DAY_PARTS, LOCAL_TZ

WHOLE_DAY = "day"
SEVERAL_DAYS = "days"


class AskForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of help?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the kinds of help.")},
    )
    description = forms.CharField(
        label=_("What do you need?"),
        help_text=_("A few words are enough. For example: bread and milk from the shop."),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say in a few words what you need.")},
    )
    when = forms.ChoiceField(
        label=_("When?"),
        choices=[
            ("flexible", _("Any time: I am flexible")),
            ("day", _("On a certain day")),
            (SEVERAL_DAYS, _("Over several days")),
        ],
        widget=forms.RadioSelect,
        initial="flexible",
    )
    day = forms.DateField(
        label=_("Which day?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if you chose a certain day. Over several days: the first day."),
    )
    end_day = forms.DateField(
        label=_("Until which day?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if the help goes on for several days: the last day."),
    )
    part = forms.ChoiceField(
        label=_("What time of day?"),
        required=False,
        choices=[
            (WHOLE_DAY, _("Any time that day")),
            ("morning", _("Morning (8 to 12)")),
            ("afternoon", _("Afternoon (12 to 6 pm)")),
            ("evening", _("Evening (6 to 10 pm)")),
        ],
        initial=WHOLE_DAY,
    )
    sensitive_topic = forms.BooleanField(label=_("Is it about health, housing, money or safety?"), required=False)
    urgent = forms.BooleanField(
        label=_("Is it urgent?"),
        required=False,
        help_text=_("Urgent means it has to happen today or tomorrow. In an emergency, call 112."),
    )

    def category_options(self) -> list[dict[str, Any]]:
        chosen = self["category"].value()
        return [
            {"value": value, "label": label, "icon": ICONS.get(value, ""), "checked": value == chosen}
            for value, label in Category.choices
        ]

    def window(
        self, day: date | None, part: str, last_day: date | None = None
    ) -> tuple[datetime | None, datetime | None]:
        """From the part of the day on the first day until the end of that part on the last day (the same day when
        there is no range)."""
        if day is None:
            return None, None
        h0, h1 = DAY_PARTS.get(part, (8, 22))
        start = datetime.combine(day, time(h0), tzinfo=LOCAL_TZ)
        end = datetime.combine(last_day or day, time(h1), tzinfo=LOCAL_TZ)
        return start, end

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # the same dict super().clean() returns; the window is added to it below
        when = data.get("when")
        if when in {"day", SEVERAL_DAYS} and not data.get("day"):
            self.add_error("day", _("Choose a day, or say you are flexible."))
            return data
        if when == SEVERAL_DAYS and not data.get("end_day"):
            self.add_error("end_day", _("Choose the last day, or choose “On a certain day”."))
            return data
        day = data.get("day") if when in {"day", SEVERAL_DAYS} else None
        last_day = data.get("end_day") if when == SEVERAL_DAYS else None
        if day is not None and day < timezone.localdate():
            self.add_error("day", _("This day has already passed."))
            return data
        start, end = self.window(day, data.get("part") or WHOLE_DAY, last_day)
        data["window_start"], data["window_end"] = start, end
        if "category" in data and "description" in data:
            try:
                validate_request_input(
                    category=data["category"], description=data["description"], window_start=start, window_end=end
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    if name == "window_end" and last_day is not None:
                        name = "end_day"
                    self.add_error(name if name in self.fields else "day", messages)
        return data


class FollowUpForm(forms.Form):
    happened = forms.ChoiceField(
        label=_("Did it happen?"),
        choices=FollowUp.Happened.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it happened.")},
    )
    rating = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=[
            ("5", _("Very well")),
            ("4", _("Well")),
            ("3", _("Okay")),
            ("2", _("Not so well")),
            ("1", _("Badly")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    too_much = forms.BooleanField(label=_("It was too much for me"), required=False)
    comment = forms.CharField(
        label=_("Anything to add?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AskOnBehalfForm(AskForm):
    """The resident's ask form as a coordinator fills it in for them, plus how the request came in."""

    came_in_by = forms.ChoiceField(
        label=_("How did the request come in?"),
        choices=CameInBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the request came in.")},
    )


class StepBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the coordinator reads this. Your neighbour is not told why."),
    )
