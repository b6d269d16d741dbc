"""The spark-submit script: `spark-submit scripts/spark_clean.py INPUT... OUTPUT [options]`.

A file outside the package on purpose: a script's own directory goes first
on `sys.path`, and inside `cleaner/` its modules (`selectors`, `html`, `io`...)
would shadow the standard library's. The work is in `cleaner.spark_submit`;
`cleaner` must be installed where the driver and the executors run Python.
"""

import sys

from cleaner.spark_submit import main

if __name__ == "__main__":
    sys.exit(main())
