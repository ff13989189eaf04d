#!/usr/bin/env bash
# Communicator overhead vs raw mpi.jar (issue #2's target: within 10% for large messages).
# Usage: bench/comm-overhead.sh [ranks=2] [rounds=7] [allToAllV MiB=64]
# Writes bench/results/comm-overhead.md (table + machine description) and prints it.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ranks=${1:-2}; rounds=${2:-7}; mib=${3:-64}
out="$home/bench/results/comm-overhead.md"
mkdir -p "$(dirname "$out")"
table=$("$home/bin/rankwise" run -n "$ranks" --backend mpi -J -Xmx2g io.rankwise.bench.CommBench "$rounds" "$mib")
{
  echo "# Communicator overhead vs raw mpi.jar"
  echo
  echo "Run: \`bench/comm-overhead.sh $ranks $rounds $mib\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1);"
  echo "Open MPI $(ompi_info --version 2>/dev/null | sed -n 's/^Open MPI v//p' | head -n1), $(java -version 2>&1 | head -n1)."
  echo
  echo "$table"
} > "$out"
cat "$out"
