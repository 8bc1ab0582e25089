"""Issue #14 M1: every stored email address in its one form (NFKC, case-folded, trimmed; `core/emails.py`).

An address whose folded form already belongs to another account is left as it is: it can no longer match the
other account's sign-in (lookups are exact on the folded form), and a person decides what to do with it."""

from typing import Any

from django.db import migrations

from burenhulp.core.emails import email_key


def normalise(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("core", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Resident = apps.get_model("residents", "Resident")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.only("pk", "email").iterator():
        key = email_key(user.email)
        if key != user.email and key not in taken:
            taken.discard(user.email)
            taken.add(key)
            User.objects.filter(pk=user.pk).update(email=key)
    addresses = set(EmailAddress.objects.values_list("email", flat=True))
    for address in EmailAddress.objects.only("pk", "email").iterator():
        key = email_key(address.email)
        if key != address.email and key not in addresses:
            addresses.discard(address.email)
            addresses.add(key)
            EmailAddress.objects.filter(pk=address.pk).update(email=key)
    for resident in Resident.objects.exclude(email="").only("pk", "email").iterator():
        key = email_key(resident.email)
        if key != resident.email:
            Resident.objects.filter(pk=resident.pk).update(email=key)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_api_tokens_hashed"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("residents", "0003_help_entry_covering_index"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
