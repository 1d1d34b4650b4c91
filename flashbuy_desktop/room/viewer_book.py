"""The records of this live's viewers, as the platform last described them (no Qt).

Loaded with the room's snapshot (``room_viewer_records``), then kept current by the stream's
``viewer.record`` events, in order. A record carries no revision: the stream applies them in
the order the platform wrote them, and the load is read before the stream starts, so the
last one given is the newest. :attr:`ViewerBook.version` grows with every change, so a
painter can tell cheaply whether what it cached still holds.
"""

from collections.abc import Iterable

from flashbuy_desktop.room.viewer_badges import Badge, badges
from flashbuy_protocol.models import ViewerRecord


class ViewerBook:
    """Records by viewer id, and the badges each one earns."""

    def __init__(self) -> None:
        self._records: dict[int, ViewerRecord] = {}
        self._badges: dict[int, tuple[Badge, ...]] = {}
        self.version = 0

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, viewer_id: object) -> bool:
        return viewer_id in self._records

    def record(self, viewer_id: int) -> ViewerRecord | None:
        """What is known of ``viewer_id`` (None: nothing)."""
        return self._records.get(viewer_id)

    def badges(self, viewer_id: int) -> tuple[Badge, ...]:
        """The badges ``viewer_id`` earns (none for a viewer without a record)."""
        return self._badges.get(viewer_id, ())

    def is_blocked(self, viewer_id: int) -> bool:
        """Whether the seller blocked ``viewer_id``."""
        record = self._records.get(viewer_id)
        return record is not None and record.blocked

    def load(self, records: Iterable[ViewerRecord]) -> None:
        """Know exactly these records (another live, or the live read again)."""
        self._records = {r.viewer_id: r for r in records}
        self._badges = {vid: badges(r) for vid, r in self._records.items()}
        self.version += 1

    def put(self, record: ViewerRecord) -> bool:
        """A newer record of one viewer; whether it changed anything."""
        if self._records.get(record.viewer_id) == record:
            return False
        self._records[record.viewer_id] = record
        self._badges[record.viewer_id] = badges(record)
        self.version += 1
        return True

    def clear(self) -> None:
        """Forget every record."""
        self.load(())
