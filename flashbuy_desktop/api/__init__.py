"""The console's side of the wire, free of Qt: an HTTP client and an event-stream reader.

Widgets never call these directly: background tasks do (see ``flashbuy_desktop.ui``).
"""
