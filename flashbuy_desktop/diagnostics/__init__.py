"""Qt-free support code: the log, the crash sink, redaction, the problem report, atomic writes.

The floor of the house: every layer may use it; it imports nothing of the console.
"""
