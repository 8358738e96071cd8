"""Domain errors raised by services; views map them to HTTP status codes and Chinese messages."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotFound(DomainError):
    status = 404


class NotAllowed(DomainError):
    status = 403


class NotEligible(DomainError):
    status = 422


class Invalid(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class FaceCheckRequired(NotAllowed):
    """R-ACC-2: this step needs the person's face verified again just now."""
