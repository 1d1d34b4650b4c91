"""Operations: what the seller does, as Qt-free objects that own their retries and keys.

A window renders an operation's state and forwards the seller's keys; the operation talks to
the platform through ``api`` (publishing a flash-buy, ending a live...).
"""
