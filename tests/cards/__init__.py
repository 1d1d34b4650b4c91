"""A reproducible set of order cards held up on a live stream, for the card reader's tests
and benchmark (see README.md)."""
