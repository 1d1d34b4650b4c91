"""One rehearsal viewer as the platform knows it: its id, nickname, region and token."""

from dataclasses import dataclass


@dataclass
class Viewer:
    """A viewer that joined: who it is, where it ships to, and how it signs its requests."""

    id: int
    nickname: str
    region: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        """The header its requests carry."""
        return {"Authorization": f"Bearer {self.token}"}
