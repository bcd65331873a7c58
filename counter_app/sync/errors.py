"""What can go wrong with a sync pass, split by what the officer (and the retry schedule) should do.

- `ServerUnreachable`: the network, a proxy or captive portal, a timeout, a server error. Nothing is
  lost (the events stay pending); retrying later will work. The scripted interface exits 3.
- `SyncRefused`: the server understood and said no in a way retrying cannot fix (a bad or revoked
  token, a device of another office, a request it cannot read). Retries stop until someone acts.
  It is a `UserError`, so the scripted interface exits 2 with its one-line message.
- `CertificateRefused` (a `SyncRefused`): the server's TLS certificate is not the pinned one, or no
  trusted CA vouches for it (sync/pinning.py). Permanent until the admin links again.
"""

from __future__ import annotations

from typing import Any

from counter_app.errors import UserError


class ServerUnreachable(Exception):  # noqa: N818 - the contract's name for exit 3
    """The district server could not be reached, or its answer was not an acknowledgement."""

    def __init__(self, message: str, *, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # What the pass did before it stopped ({"pushed", "pulled", "pending", "rejected"}).
        self.summary = summary or {}


class SyncRefused(UserError):
    """A permanent refusal: retrying will not help until the link or the data is fixed."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


class BatchTooLarge(Exception):
    """413: the client halves its batch and tries again (never shown to an officer)."""


class CertificateRefused(SyncRefused):
    """The server's certificate is not the one the link trusts (a changed pin, or no trusted CA).
    Found in the TLS handshake, before any request: nothing was sent, so nothing is noted against
    the waiting events. Sync stays stopped until the admin links again."""
