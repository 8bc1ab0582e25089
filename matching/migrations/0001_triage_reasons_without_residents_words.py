"""Issue #14, M4: triage reasons used to store up to eight of the resident's own words as "term" (which outlived
erasure). From now on a reason stores the rule code and the lexicon's term; this migration strips the words stored
before, in requests and in queue items. The rule code (and so the reason in words) stays."""

from django.db import migrations

BATCH = 500


def _strip(reasons):
    changed = False
    out = []
    for reason in reasons or []:
        if isinstance(reason, dict) and "rule" in reason and "term" in reason:
            reason = {k: v for k, v in reason.items() if k != "term"}
            changed = True
        out.append(reason)
    return out, changed


def _run(model, field):
    batch = []
    for row in model.objects.exclude(**{field: []}).only("pk", field).iterator(chunk_size=BATCH):
        cleaned, changed = _strip(getattr(row, field))
        if changed:
            setattr(row, field, cleaned)
            batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_update(batch, [field])
            batch = []
    if batch:
        model.objects.bulk_update(batch, [field])


def forwards(apps, schema_editor):
    _run(apps.get_model("helprequests", "HelpRequest"), "triage_reasons")
    _run(apps.get_model("coordination", "QueueItem"), "reasons")


class Migration(migrations.Migration):
    dependencies = [
        ("helprequests", "0002_request_public_id"),
        ("coordination", "0003_queue_order_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
