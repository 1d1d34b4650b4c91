"""Tests of flashbuy_desktop.composition."""
