"""Services the windows use: background tasks, the room's event sync, the capture service,
the hotkeys' Qt side, languages and the sentences a seller reads.

Qt, but no widgets of their own: windows in ``ui`` use them; they never import ``ui``.
"""
