"""The embedded demo's shortcuts into the database, for what HTTP cannot carry from one process.

:func:`post_comments` stores a comment flood in one transaction per moment, and
:func:`send_audience_home` makes every rehearsal viewer leave at once. Both keep the
platform's rules and append the same events as the HTTP routes, so the console cannot tell.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.event_payloads import ViewerLeft
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Comment, CommentIn
from flashbuy_server import events
from flashbuy_server.db import Database
from flashbuy_server.roomaccess import room_row
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import comments, room_members, viewers
from flashbuy_server.tables import rooms as rooms_table


def send_audience_home(db: Database, creator_id: int) -> int:
    """Every viewer still in one of the creator's rooms leaves it; how many left.

    For the embedded demo only, where nobody but its own rehearsal audience can be in a
    room: when the console stops, and when it starts after a run that ended without its
    viewers leaving (killed, or a power cut), whose viewers would otherwise be counted
    with the new audience for ever. Each leave is a ``viewer.left`` event with the
    count after it, as a viewer's own leave is.
    """
    with db.write() as conn:
        staying = conn.execute(
            sa.select(room_members.c.room_id, room_members.c.viewer_id)
            .join(rooms_table, rooms_table.c.id == room_members.c.room_id)
            .where(rooms_table.c.creator_id == creator_id, room_members.c.present.is_(True))
            .order_by(room_members.c.room_id, room_members.c.viewer_id)
        ).all()
        by_room: dict[int, list[int]] = {}
        for room_id, viewer_id in staying:
            by_room.setdefault(room_id, []).append(viewer_id)
        for room_id, leaving in by_room.items():
            room_row(conn, room_id, lock=True)
            conn.execute(
                room_members.update()
                .where(room_members.c.room_id == room_id, room_members.c.present.is_(True))
                .values(present=False)
            )
            conn.execute(
                rooms_table.update().where(rooms_table.c.id == room_id).values(viewer_count=0)
            )
            remaining = len(leaving)
            left = []
            for viewer_id in leaving:
                remaining -= 1
                left.append(
                    events.NewEvent(
                        EventType.VIEWER_LEFT,
                        ViewerLeft(viewer_id=viewer_id, viewer_count=remaining),
                        audience=events.AUDIENCE_CREATOR,
                    )
                )
            events.append_all(conn, room_id, left)
    return len(staying)


def post_comments(db: Database, room_id: int, said: Sequence[tuple[int, str]]) -> int:
    """Comments ``(viewer id, text)`` in one transaction; how many were stored.

    The rehearsal audience's flood: one Python process cannot post thousands of comments
    a second over HTTP, each with its own request and transaction. The platform's rules
    for a comment still hold: the live is on, the viewer is in the room, the text is
    what ``CommentIn`` accepts (comments the platform would refuse are dropped: the live
    may end at any moment), and each is stored and announced as
    ``POST /rooms/{id}/comments`` does.
    """
    texts = [(viewer_id, CommentIn(text=text).text) for viewer_id, text in said]
    with db.write() as conn:
        if room_row(conn, room_id, lock=True).status != LiveStatus.LIVE.value:
            return 0
        ids = {viewer_id for viewer_id, _ in texts}
        names: dict[int, str] = {
            row.id: row.nickname
            for row in conn.execute(
                sa.select(viewers.c.id, viewers.c.nickname)
                .join(room_members, room_members.c.viewer_id == viewers.c.id)
                .where(
                    room_members.c.room_id == room_id,
                    room_members.c.present.is_(True),
                    viewers.c.id.in_(ids),
                )
            )
        }
        kept = [(viewer_id, text) for viewer_id, text in texts if viewer_id in names]
        if not kept:
            return 0
        now = utcnow()
        comment_ids = (
            conn.execute(
                comments.insert().returning(comments.c.id, sort_by_parameter_order=True),
                [
                    {"room_id": room_id, "viewer_id": viewer_id, "text": text, "created_at": now}
                    for viewer_id, text in kept
                ],
            )
            .scalars()
            .all()
        )
        events.append_all(
            conn,
            room_id,
            [
                events.NewEvent(
                    EventType.COMMENT_POSTED,
                    Comment(
                        id=comment_id,
                        room_id=room_id,
                        viewer_id=viewer_id,
                        nickname=names[viewer_id],
                        text=text,
                        created_at=now,
                    ),
                    audience=events.AUDIENCE_CREATOR,
                )
                for comment_id, (viewer_id, text) in zip(comment_ids, kept, strict=True)
            ],
        )
    return len(kept)
