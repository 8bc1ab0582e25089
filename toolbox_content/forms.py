from __future__ import annotations

from django import forms

from toolbox_content.models import LocalNote


class LocalNoteForm(forms.ModelForm):
    class Meta:
        model = LocalNote
        fields = ["title", "body", "language", "audience", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
