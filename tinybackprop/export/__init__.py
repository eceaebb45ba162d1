"""Export: a model as a standalone Python module or C header (sources), int8 (quantize)."""
