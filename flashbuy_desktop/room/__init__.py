"""Qt-free rules of the live room that the console's windows apply (piece numbers, ...)."""
