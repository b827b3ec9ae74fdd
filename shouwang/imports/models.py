"""A census import: the uploaded file until it is committed, what checking it found, and
which child each committed row became (so importing the same file again changes nothing).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel


class ImportJob(PublicModel):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, not imported")
        COMMITTING = "committing", _("Being imported")
        COMMITTED = "committed", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    class Phase(models.TextChoices):
        """Where a long check or import run by the worker has got to (``progress_*``)."""

        NONE = "", _("—")
        QUEUED = "queued", _("Waiting for the worker")
        CHECKING = "checking", _("Checking rows")
        WRITING = "writing", _("Checking and writing rows")
        RULES = "rules", _("Applying the rules to the new children")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    actor_label = models.CharField(_("uploaded by"), max_length=150)
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("checksum"), max_length=64)
    # The upload, kept only until it is imported or discarded (PIPL: no copy kept longer).
    content = models.BinaryField(_("file"), null=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new children"), default=0)
    existing_rows = models.PositiveIntegerField(_("already registered"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # [{"row": 5, "column": "id_number", "level": "error", "message": "..."}]
    issues = models.JSONField(_("problems found"), default=list, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # Progress of a check or import run as a task (written outside its transaction).
    phase = models.CharField(
        _("progress"), max_length=20, choices=Phase.choices, default=Phase.NONE, blank=True
    )
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    children_written = models.PositiveIntegerField(_("children written"), default=0)
    message = models.TextField(_("message"), blank=True)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def running(self) -> bool:
        return self.phase in {
            self.Phase.QUEUED,
            self.Phase.CHECKING,
            self.Phase.WRITING,
            self.Phase.RULES,
        }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("census import")
        verbose_name_plural = _("census imports")

    def __str__(self) -> str:
        return self.filename


class ImportedRecord(models.Model):
    """A row without an ID number that became a child: its ``fingerprint`` (county,
    village, name, sex, birth date) finds it again when the file is imported again. Rows
    with an ID number are found again by it, and are not recorded here."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="records")
    # Kept when the child is later merged away, so the row is still known.
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("child"),
    )
    county = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField(_("row"))
    fingerprint = models.CharField(_("row fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        indexes = [
            models.Index(fields=["county", "fingerprint"], name="imports_county_fingerprint")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"


class WorkerBeat(models.Model):
    """When a ``shouwang worker`` last ran a pass (one row): a large upload's page says
    whether its check or import will start soon."""

    seen_at = models.DateTimeField(_("worker last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.seen_at:%Y-%m-%d %H:%M:%S}"
