"""One exception hierarchy. Every message is Chinese and says what the user should do next."""


class DrafterError(Exception):
    """Base class; ``str(err)`` is the user-facing Chinese message."""

    exit_code = 2


class InputError(DrafterError):
    """An input file is missing, unreadable, empty, binary or too large."""


class UsageError(DrafterError):
    """Options that do not fit together."""


class OutputError(DrafterError):
    """An output cannot be written (exists without --force, would overwrite an input, ...)."""


class FactsError(DrafterError):
    """A facts file is invalid; the message names the line and the field."""


class CorpusError(DrafterError):
    """The corpus database cannot be opened or a report is not in it."""


class LLMError(DrafterError):
    """The configured LLM endpoint failed in a way retries could not mend."""


class LLMTimeoutError(LLMError):
    """The server went silent past the timeout, or a section ran past its overall deadline."""


class LLMConnectionError(LLMError):
    """No answer at all: connection refused, DNS, TLS, 5xx/429 after the retries."""


class LLMBadResponseError(LLMError):
    """An answer that is not a usable completion: an HTML page, no choices, an empty or cut-off stream,
    an endless reply. Usually a wrong base_url."""


class DraftVerificationError(DrafterError):
    """Generation kept failing verification after the allowed repairs."""

    def __init__(self, message: str, attempts: int = 0, findings: list | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.findings = findings or []
