"""``python -m auditor.batch``: a batch worker process (see worker.py)."""

from .worker import main

main()
