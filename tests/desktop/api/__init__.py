"""Tests of flashbuy_desktop.api."""
