from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="consent_withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
