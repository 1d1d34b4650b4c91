"""End to end: the console and the real platform together, driven as a seller drives them."""
