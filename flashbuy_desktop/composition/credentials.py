"""The session token, kept in the operating system's keyring and never in a file.

With no usable keyring (a Linux box without a Secret Service, say) the token lives
in memory for this run only, and :attr:`TokenStore.persistent` says so, so the
console can tell the seller they will sign in again next time.

Every call may block (a keyring is a D-Bus service, a Keychain, a Credential Manager,
and it may be locked and ask for a password): the console calls the store off the GUI
thread only. Building one touches no keyring; the first call finds the backend.
"""

import logging
import threading

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
        self._backend = backend
        self._persistent: bool | None = None  # known once the backend was looked at
        self._lock = threading.Lock()  # calls come from worker threads
        self._memory: dict[str, str] = {}

    def _keyring(self) -> KeyringBackend | None:
        """The usable keyring, or None; found at the first call, which may block."""
        with self._lock:
            if self._persistent is None:
                # Finding the system's keyring may ask D-Bus which services run.
                if self._backend is None:
                    self._backend = keyring.get_keyring()
                self._persistent = _usable(self._backend)
                if not self._persistent:
                    log.warning(
                        "no usable keyring (%s): tokens stay in memory",
                        type(self._backend).__name__,
                    )
            return self._backend if self._persistent else None

    @property
    def persistent(self) -> bool:
        """Whether tokens survive a restart of the console (there is a usable keyring)."""
        return self._keyring() is not None

    def load(self, server_url: str) -> str | None:
        """The token saved for this platform, if any."""
        if server_url in self._memory:
            return self._memory[server_url]
        backend = self._keyring()
        if backend is None:
            return None
        try:
            return backend.get_password(self.service, server_url)
        except keyring.errors.KeyringError:
            log.warning("the keyring could not be read", exc_info=True)
            return None

    def save(self, server_url: str, token: str) -> bool:
        """Keep the token; True if it will survive a restart of the console."""
        self._memory[server_url] = token
        backend = self._keyring()
        if backend is None:
            return False
        try:
            backend.set_password(self.service, server_url, token)
        except keyring.errors.KeyringError:
            log.warning("the keyring refused the token; keeping it in memory", exc_info=True)
            return False
        return True

    def delete(self, server_url: str) -> None:
        """Forget the token everywhere."""
        self._memory.pop(server_url, None)
        backend = self._keyring()
        if backend is None:
            return
        try:
            backend.delete_password(self.service, server_url)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored
        except keyring.errors.KeyringError:
            log.warning("the keyring could not delete the token", exc_info=True)
