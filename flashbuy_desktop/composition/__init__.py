"""Composition: what puts the console together (settings, the keyring, the platform, the windows).

The top of the house: it may import every layer below and nothing imports it but the entry
points (``__main__``, ``selfcheck``).
"""
