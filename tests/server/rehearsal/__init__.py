"""Tests of the rehearsal package: the demo seed and the simulated audience."""
