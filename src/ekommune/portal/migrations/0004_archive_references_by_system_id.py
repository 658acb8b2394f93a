# The portal's references into the archive become the archive objects' systemIDs (decision 0036):
# the new columns are added, filled from the archive rows the foreign keys point at, and the
# foreign keys are dropped. Reversible: going back fills the foreign keys from the systemIDs.

import django.db.models.deletion
from django.db import migrations, models

# Deferred foreign-key checks run at once, so that no ALTER TABLE meets pending trigger events.
FORWARD = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE portal_service AS s SET archive_series_system_id = a.system_id
  FROM archive_series AS a WHERE a.id = s.archive_series_id;
UPDATE portal_service AS s SET archive_class_system_id = a.system_id
  FROM archive_class AS a WHERE a.id = s.archive_class_id;
UPDATE portal_submission AS s
   SET case_file_system_id = c.system_id, registry_entry_system_id = r.system_id, receipt_system_id = d.system_id
  FROM archive_casefile AS c, archive_registryentry AS r, archive_documentobject AS d
 WHERE c.id = s.case_file_id AND r.id = s.registry_entry_id AND d.id = s.receipt_id;
UPDATE portal_mailboxmessage AS m
   SET registry_entry_system_id = r.system_id, document_system_id = d.system_id
  FROM archive_registryentry AS r, archive_documentobject AS d
 WHERE r.id = m.registry_entry_id AND d.id = m.document_id;
"""

BACKWARD = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE portal_service AS s SET archive_series_id = a.id
  FROM archive_series AS a WHERE a.system_id = s.archive_series_system_id;
UPDATE portal_service AS s SET archive_class_id = a.id
  FROM archive_class AS a WHERE a.system_id = s.archive_class_system_id;
UPDATE portal_submission AS s
   SET case_file_id = c.id, registry_entry_id = r.id, receipt_id = d.id
  FROM archive_casefile AS c, archive_registryentry AS r, archive_documentobject AS d
 WHERE c.system_id = s.case_file_system_id AND r.system_id = s.registry_entry_system_id
   AND d.system_id = s.receipt_system_id;
UPDATE portal_mailboxmessage AS m SET registry_entry_id = r.id, document_id = d.id
  FROM archive_registryentry AS r, archive_documentobject AS d
 WHERE r.system_id = m.registry_entry_system_id AND d.system_id = m.document_system_id;
"""


def _protect(to: str) -> models.ForeignKey:
    return models.ForeignKey(
        null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to
    )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_access_restriction_offentleglova"),
        ("portal", "0003_draft_continues"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="archive_series_system_id",
            field=models.UUIDField(blank=True, null=True, verbose_name="arkivdel"),
        ),
        migrations.AddField(
            model_name="service",
            name="archive_class_system_id",
            field=models.UUIDField(blank=True, null=True, verbose_name="klasse"),
        ),
        migrations.AddField(
            model_name="submission",
            name="case_file_system_id",
            field=models.UUIDField(null=True, verbose_name="saksmappe"),
        ),
        migrations.AddField(
            model_name="submission",
            name="registry_entry_system_id",
            field=models.UUIDField(null=True, verbose_name="journalpost"),
        ),
        migrations.AddField(
            model_name="submission",
            name="receipt_system_id",
            field=models.UUIDField(null=True, verbose_name="kvittering (dokumentobjekt)"),
        ),
        migrations.AddField(
            model_name="mailboxmessage",
            name="registry_entry_system_id",
            field=models.UUIDField(null=True, verbose_name="journalpost"),
        ),
        migrations.AddField(
            model_name="mailboxmessage",
            name="document_system_id",
            field=models.UUIDField(null=True, verbose_name="brev (dokumentobjekt)"),
        ),
        # The foreign keys may be empty while they go (and while they come back, in reverse).
        migrations.AlterField(model_name="submission", name="case_file", field=_protect("archive.casefile")),
        migrations.AlterField(
            model_name="submission", name="registry_entry", field=_protect("archive.registryentry")
        ),
        migrations.AlterField(model_name="submission", name="receipt", field=_protect("archive.documentobject")),
        migrations.AlterField(
            model_name="mailboxmessage", name="registry_entry", field=_protect("archive.registryentry")
        ),
        migrations.AlterField(
            model_name="mailboxmessage", name="document", field=_protect("archive.documentobject")
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveField(model_name="service", name="archive_series"),
        migrations.RemoveField(model_name="service", name="archive_class"),
        migrations.RemoveField(model_name="submission", name="case_file"),
        migrations.RemoveField(model_name="submission", name="registry_entry"),
        migrations.RemoveField(model_name="submission", name="receipt"),
        migrations.RemoveField(model_name="mailboxmessage", name="registry_entry"),
        migrations.RemoveField(model_name="mailboxmessage", name="document"),
        migrations.AlterField(
            model_name="submission",
            name="case_file_system_id",
            field=models.UUIDField(verbose_name="saksmappe"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="registry_entry_system_id",
            field=models.UUIDField(verbose_name="journalpost"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="receipt_system_id",
            field=models.UUIDField(verbose_name="kvittering (dokumentobjekt)"),
        ),
        migrations.AlterField(
            model_name="mailboxmessage",
            name="registry_entry_system_id",
            field=models.UUIDField(verbose_name="journalpost"),
        ),
        migrations.AlterField(
            model_name="mailboxmessage",
            name="document_system_id",
            field=models.UUIDField(verbose_name="brev (dokumentobjekt)"),
        ),
    ]
