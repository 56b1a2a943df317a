"""Backprop Studio's engine: plain NumPy, no Qt. Everything the app does with a network goes through here."""
