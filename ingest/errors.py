"""Errors raised while reading a file. Each names the file and says what the user can do."""


class IngestError(Exception):
    """A file could not be ingested. The message is user-facing (Chinese) and names the file."""

    def __init__(self, path: str, reason: str, hint: str = ""):
        self.path = path
        self.reason = reason
        self.hint = hint
        msg = f"{path}: {reason}"
        if hint:
            msg += f"（{hint}）"
        super().__init__(msg)
