"""The application's error hierarchy (one envelope for every layer).

Services raise these; views turn ``NotFound`` into HTTP 404 and ``ValidationFailed`` into
form errors. ``NotFound`` is used for both "missing" and "forbidden" so that an outsider
learns nothing about a record from the answer.
"""

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise


class ApplicationError(Exception):
    def __init__(self, message: str | Promise, extra: Mapping[str, object] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.extra = dict(extra or {})


class NotFound(ApplicationError):  # noqa: N818  (it is the domain's word)
    pass


class PermissionDenied(ApplicationError):  # noqa: N818
    """An actor tried a write she has no capability for (records in scope only)."""


class ValidationFailed(ApplicationError):  # noqa: N818
    """Input broke a business rule. ``field_errors`` maps a form field to its messages."""

    def __init__(
        self,
        message: str | Promise,
        field_errors: Mapping[str, Sequence[str | Promise]] | None = None,
    ) -> None:
        super().__init__(message)
        self.field_errors = {k: list(v) for k, v in (field_errors or {}).items()}
