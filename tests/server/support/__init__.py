"""Tests of problem reports: the zip checks, their storage and the route."""
