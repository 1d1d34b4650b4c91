"""The PySide6 console a live-stream seller runs beside the streaming software.

``api`` and ``capture`` stay free of Qt; ``ui`` holds the widgets. The console
itself arrives with the console issue.
"""
