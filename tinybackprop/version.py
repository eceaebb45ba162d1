"""The library's version: the command line prints it, exports and setup.cfg read it."""
__version__ = "0.1.0"
