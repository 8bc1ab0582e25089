import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    HelpRequest = apps.get_model("helprequests", "HelpRequest")
    for pk in HelpRequest.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
        HelpRequest.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("helprequests", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="helprequest",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
