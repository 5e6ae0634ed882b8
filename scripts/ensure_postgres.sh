#!/usr/bin/env bash
# Make sure the PostgreSQL server named by the URL answers; start the local cluster if it does not.
# Fails (so `make test` fails) when no server can be reached: the suite must run on both databases.
set -euo pipefail
url=$1
answers() { pg_isready -q -d "$url" 2>/dev/null; }
if answers; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  if [ -n "$version" ]; then
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 20); do answers && exit 0; sleep 0.5; done
  fi
fi
echo "PostgreSQL at $url does not answer: the PostgreSQL suite cannot run" >&2
exit 1
