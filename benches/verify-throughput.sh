#!/usr/bin/env bash
# Verify throughput: 512 MiB of evidence in 32 files, bagged by bagit-python, checked by
# `cpaudit verify`, by one OpenSSL SHA-256 core over the same bytes, and by bagit-python's
# own `--validate --processes 2`. Prints wall-clock seconds (best of 3) and the ratios.
#
#   benches/verify-throughput.sh            # builds cpaudit --release first
#   CPAUDIT_BIN=target/debug/cpaudit benches/verify-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CPAUDIT_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/cpaudit
fi
python3 -c 'import bagit' 2>/dev/null || python3 -m pip install -q bagit==1.9.0
WORK=${BENCH_DIR:-$(mktemp -d)}
BAG="$WORK/bag"
if [ ! -f "$BAG/bagit.txt" ]; then
  rm -rf "$BAG"; mkdir -p "$BAG"
  for i in $(seq -w 1 32); do head -c $((16 << 20)) /dev/urandom > "$BAG/evidence-$i.bin"; done
  python3 -m bagit --quiet --sha256 "$BAG" >/dev/null 2>&1
fi
cat "$BAG"/data/* > /dev/null   # warm the page cache, as every run below reads it warm

best() { # best wall time of 3 runs of "$@"
  local b=999999
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  printf '%.3f' "$b"
}
t_cpaudit=$(best "$BIN" verify "$BAG")
t_openssl=$(best sh -c "cat '$BAG'/data/* | openssl dgst -sha256")
t_bagit=$(best python3 -m bagit --validate --processes 2 "$BAG")
echo "bytes: $((512 << 20)) in 32 files; cores: $(nproc)"
echo "cpaudit verify:                 ${t_cpaudit} s"
echo "openssl sha256, one core:       ${t_openssl} s"
echo "bagit.py --validate -p 2:       ${t_bagit} s"
echo "cpaudit / openssl:              $(echo "$t_cpaudit / $t_openssl" | bc -l | cut -c1-5)"
echo "bagit.py / openssl:             $(echo "$t_bagit / $t_openssl" | bc -l | cut -c1-5)"
