"""`python -m backprop_studio.core.spec_rules`: the command line in `cli`."""

import sys

from backprop_studio.core.spec_rules.cli import main

if __name__ == "__main__":  # guarded: tools that import every module (pkgutil.walk_packages) must not run it
    sys.exit(main())
