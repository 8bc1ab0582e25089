from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("residents", "0002_consent_withdrawn"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="helpentry",
            name="help_entry_lookup",
        ),
        migrations.AddIndex(
            model_name="helpentry",
            index=models.Index(fields=["buurt", "kind", "category"], include=("resident",), name="help_entry_offers"),
        ),
    ]
