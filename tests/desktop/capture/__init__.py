"""Tests of flashbuy_desktop.capture."""
