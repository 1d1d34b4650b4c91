"""The session token, kept in the operating system's keyring and never in a file.

With no usable keyring (a Linux box without a Secret Service, say) the token lives
in memory for this run only, and :attr:`TokenStore.persistent` says so, so the
console can tell the seller they will sign in again next time.
"""

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "flashbuy"


def _usable(backend: KeyringBackend) -> bool:
    # keyring falls back to backends that refuse every call, or store in plain files.
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check fails is not one to trust
        return False


class TokenStore:
    """Tokens per platform address, in the keyring when there is one."""

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend or keyring.get_keyring()
        self.persistent = _usable(self._backend)
        self._memory: dict[str, str] = {}
        if not self.persistent:
            log.warning(
                "no usable keyring (%s): tokens stay in memory", type(self._backend).__name__
            )

    def load(self, server_url: str) -> str | None:
        """The token saved for this platform, if any."""
        if server_url in self._memory:
            return self._memory[server_url]
        if not self.persistent:
            return None
        try:
            return self._backend.get_password(self.service, server_url)
        except keyring.errors.KeyringError:
            log.warning("the keyring could not be read", exc_info=True)
            return None

    def save(self, server_url: str, token: str) -> bool:
        """Keep the token; True if it will survive a restart of the console."""
        self._memory[server_url] = token
        if not self.persistent:
            return False
        try:
            self._backend.set_password(self.service, server_url, token)
        except keyring.errors.KeyringError:
            log.warning("the keyring refused the token; keeping it in memory", exc_info=True)
            return False
        return True

    def delete(self, server_url: str) -> None:
        """Forget the token everywhere."""
        self._memory.pop(server_url, None)
        if not self.persistent:
            return
        try:
            self._backend.delete_password(self.service, server_url)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored
        except keyring.errors.KeyringError:
            log.warning("the keyring could not delete the token", exc_info=True)
