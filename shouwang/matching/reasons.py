"""Reasons stored with a suggestion (codes and values) as sentences in the active language."""

from django.utils.translation import gettext as _

from shouwang.services.models import ServiceType


def reason_sentences(reasons: list[dict[str, object]], service: ServiceType) -> list[str]:
    out: list[str] = []
    for r in reasons:
        code, value = r.get("code"), r.get("value")
        if code == "skill":
            out.append(_("Offers %(service)s.") % {"service": service})
        elif code == "continuity":
            out.append(_("Already helps this child: the same helper stays with the child."))
        elif code == "distance_km":
            out.append(_("%(km)s km from the child's village.") % {"km": value})
        elif code == "distance_unknown":
            out.append(_("Distance unknown: counted as within the township."))
        elif code == "walking":
            out.append(_("Within walking distance."))
        elif code == "dialect":
            out.append(_("Speaks the family's dialect: %(languages)s.") % {"languages": value})
        elif code == "vetted":
            out.append(_("Vetted volunteer."))
        elif code == "no_candidate":
            out.append(
                _(
                    "Nobody eligible: no active helper with this skill, the vetting it needs "
                    "and the travel range to reach the child."
                )
            )
        elif code == "capacity":
            out.append(_("Every eligible helper is at capacity this month: the need stays open."))
    return out
