from django.db import models
from django.utils.translation import gettext_lazy as _


class DuplicateAction(models.TextChoices):
    FOUND = "duplicate.found", _("Possible duplicates found")
    CONFIRMED = "duplicate.confirmed", _("Duplicate confirmed")
    REJECTED = "duplicate.rejected", _("Duplicate rejected")
    MERGED = "child.merged", _("Child records merged")
    UNMERGED = "child.unmerged", _("Merge of child records reversed")
