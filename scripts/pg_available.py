"""Exit 0 when the PostgreSQL server named by DATABASE_URL answers, 1 otherwise."""

import os
import sys

import psycopg

try:
    psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not available"
    print(f"PostgreSQL not available: {exc}", file=sys.stderr)
    sys.exit(1)
