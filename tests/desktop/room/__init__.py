"""Tests of flashbuy_desktop.room."""
