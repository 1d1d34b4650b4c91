"""Tests of flashbuy_desktop.ui."""
