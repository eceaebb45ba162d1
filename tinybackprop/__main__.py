"""python -m tinybackprop: the command line (see ``tinybackprop.cli``)."""
import sys

from .cli import main

sys.exit(main())
