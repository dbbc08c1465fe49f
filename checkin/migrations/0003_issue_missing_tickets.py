"""Every seated registration gets its ticket now, as new seats get theirs when taken (events.hooks).

Tickets used to be issued on first view, by the pages and API reads; reads no longer write, so the
seats taken before that change get theirs here, once. `manage.py tickets_backfill` does the same at
any later time.
"""

from django.db import migrations

CHUNK = 500


def issue(apps, schema_editor):
    from checkin.tickets import new_code

    Registration = apps.get_model("events", "Registration")
    Ticket = apps.get_model("checkin", "Ticket")
    missing = list(
        Registration.objects.filter(status="registered", ticket__isnull=True).values_list("pk", "event_id")
    )
    for start in range(0, len(missing), CHUNK):
        Ticket.objects.bulk_create(
            [Ticket(registration_id=pk, event_id=event_id, code=new_code()) for pk, event_id in missing[start : start + CHUNK]],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("checkin", "0002_trust"),
        ("events", "0006_retention_schedule"),
    ]

    # Nothing to undo: the tickets stay valid without this migration.
    operations = [migrations.RunPython(issue, migrations.RunPython.noop)]
