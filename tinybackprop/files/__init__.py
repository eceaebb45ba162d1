"""Files: model files (modelfile) and writing a file whole or not at all (atomic)."""
