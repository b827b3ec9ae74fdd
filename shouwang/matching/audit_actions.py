"""The matching app's audit vocabulary (registered in MatchingConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingAction(models.TextChoices):
    RUN = "matching.run", _("Matching run")
    SUGGESTION_ACCEPTED = "suggestion.accepted", _("Matching suggestion accepted")
    SUGGESTION_CHANGED = "suggestion.changed", _("Matching suggestion changed")
    SUGGESTION_REJECTED = "suggestion.rejected", _("Matching suggestion rejected")
