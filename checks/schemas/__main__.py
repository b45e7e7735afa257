"""``python -m checks.schemas [--check]``: regenerate or check the committed JSON Schemas."""

import sys

from checks.schemas import main

sys.exit(main(sys.argv[1:]))
