"""The live comment list: readable in a flood, paused under the pointer, purchase intent marked.

The parts, from the network to the screen, one module each:

* :mod:`.comment_bridge`: :class:`CommentBridge`, the hand-off from the event-stream thread to the
  GUI thread, one call per turn of the event loop however fast comments come.
* :mod:`.comment_feed`: :class:`CommentFeed` buffers comments and inserts them on a timer, nothing
  while paused, a backlog in bounded chunks.
* :mod:`.comment_model`: :class:`CommentListModel`, a bounded ring of rows deduplicated by comment
  id (a row is :mod:`flashbuy_desktop.room.comment_rows`, intent is
  :mod:`flashbuy_desktop.room.intent`: both Qt-free).
* :mod:`.intent_filter`: :class:`IntentFilter` hides everything but purchase intent.
* :mod:`.comment_look` and :mod:`.comment_delegate`: :class:`CommentDelegate` paints a row
  on one line.
* :mod:`.comment_view`: :class:`CommentView` puts them together.
"""

from flashbuy_desktop.ui.comments.comment_bridge import CommentBridge
from flashbuy_desktop.ui.comments.comment_delegate import CommentDelegate
from flashbuy_desktop.ui.comments.comment_feed import (
    FLUSH_INTERVAL_MS,
    MAX_ROWS_PER_TICK,
    CommentFeed,
)
from flashbuy_desktop.ui.comments.comment_model import (
    DEFAULT_CAPACITY,
    CommentListModel,
    CommentRole,
)
from flashbuy_desktop.ui.comments.comment_view import CommentView
from flashbuy_desktop.ui.comments.intent_filter import IntentFilter

__all__ = [
    "DEFAULT_CAPACITY",
    "FLUSH_INTERVAL_MS",
    "MAX_ROWS_PER_TICK",
    "CommentBridge",
    "CommentDelegate",
    "CommentFeed",
    "CommentListModel",
    "CommentRole",
    "CommentView",
    "IntentFilter",
]
