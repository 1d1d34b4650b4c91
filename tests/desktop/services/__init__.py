"""Tests of flashbuy_desktop.services."""
