"""The token store: in the keyring only, in memory when there is none."""

from pathlib import Path

import keyring.backends.fail

from flashbuy_desktop.composition.credentials import TokenStore

# --- tokens -----------------------------------------------------------------------------


def test_without_a_keyring_tokens_stay_in_memory(tmp_path: Path) -> None:
    store = TokenStore(backend=keyring.backends.fail.Keyring())
    assert store.persistent is False
    assert store.save("http://p", "secret-token") is False
    assert store.load("http://p") == "secret-token"
    assert TokenStore(backend=keyring.backends.fail.Keyring()).load("http://p") is None
    store.delete("http://p")
    assert store.load("http://p") is None
    # Nothing was written anywhere under the (temporary) home.
    home = Path.home()
    assert not [p for p in home.rglob("*") if p.is_file() and b"secret-token" in p.read_bytes()]
