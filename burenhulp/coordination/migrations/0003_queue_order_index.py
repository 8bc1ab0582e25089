from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="queueitem",
            index=models.Index(
                fields=["buurt", "status", "priority", "-urgent", "created_at"], name="queue_open_order"
            ),
        ),
    ]
