"""Seeing a step: its numbers (trace), pictures and the HTML page (picture), plots (plot)."""
