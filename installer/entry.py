"""The frozen executable's entry point: the same `counter_app.cli:main` as the `counter-app` script."""

import sys

from counter_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
