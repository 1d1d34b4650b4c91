"""Screen capture of the order card and the piece (Qt-free; arrives with the capture issue)."""
