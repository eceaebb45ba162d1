"""python -m tinybackprop: the command line (see ``tinybackprop.front.cli``)."""
import sys

from .front.cli import main

sys.exit(main())
