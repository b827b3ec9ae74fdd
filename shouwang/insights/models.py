"""The pre-aggregated monthly indicators: one row per area, month and indicator.

Dashboards read this table (a few dozen rows for a county's month) instead of
aggregating the registry live: PERFORMANCE.md §4.2 measured 2.5 s for a live GROUP BY
over a national table against 6 ms for a pre-aggregated one. ``shouwang insights
refresh`` (``insights.services.stats_refresh``) recomputes a month for every area below
a root, with the same SQL as the live indicators (``insights.indicators``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyAreaStat(models.Model):
    area = models.ForeignKey(
        "geo.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    code = models.CharField(_("indicator"), max_length=40)
    value = models.FloatField(_("value"), null=True)
    numerator = models.BigIntegerField(_("numerator"), default=0)
    denominator = models.BigIntegerField(_("denominator"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly indicator")
        verbose_name_plural = _("monthly indicators")
        constraints = [
            models.UniqueConstraint(fields=["area", "month", "code"], name="insights_one_stat")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m} {self.code}={self.value}"

    def indicator(self):
        from shouwang.insights.indicators import Indicator  # noqa: PLC0415

        return Indicator.make(self.code, self.numerator, self.denominator, self.value)
