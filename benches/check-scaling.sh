#!/usr/bin/env bash
# `cpaudit check` and `cpaudit build` against the number of measured streams: generates
# audits of N streams (benches/large_audit.py, openpyxl from PyPI) and times a release
# build of cpaudit with GNU time (wall seconds, peak resident memory).
# Usage: benches/check-scaling.sh [N ...]   (default 1000 3000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${@:-1000 3000 10000}"; do
  for m in $n; do
    python3 benches/large_audit.py "$m" "$work/a$m" >/dev/null
    for verb in check build; do
      /usr/bin/time -f "$verb $m streams: %e s, %M KB" \
        target/release/cpaudit "$verb" "$work/a$m" >/dev/null 2>"$work/err" || true
      tail -1 "$work/err"
    done
  done
done
