"""`python -m glossary.cli`, the same as the `glossary` console script."""

import sys

from . import main

sys.exit(main())
