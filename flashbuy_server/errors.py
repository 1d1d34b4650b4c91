"""The exception services raise for a refused request, turned into the one error shape."""

from typing import Any

from flashbuy_protocol.errors import ErrorBody, ErrorCode, ErrorResponse, http_status_for


class ApiError(Exception):
    """A request the platform refuses, with the code and message the client gets."""

    def __init__(self, code: ErrorCode, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    @property
    def status(self) -> int:
        """The HTTP status of this error."""
        return http_status_for(self.code)

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        return ErrorResponse(
            error=ErrorBody(code=self.code, message=self.message, details=self.details)
        ).model_dump(mode="json")


def not_found(what: str, ident: object) -> ApiError:
    """The error for an id that does not exist or is not the caller's to see."""
    return ApiError(ErrorCode.NOT_FOUND, f"{what} {ident} does not exist", what=what, id=ident)
