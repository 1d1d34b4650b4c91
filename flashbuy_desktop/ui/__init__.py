"""The console's Qt layer: windows, item models and views, and the background tasks they use."""
