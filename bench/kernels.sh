#!/usr/bin/env bash
# Block kernels vs STREAM-like memory bandwidth probes, all ranks at once (issue #6's microbenchmarks).
# Usage: bench/kernels.sh [ranks=2] [MiB per array=128] [repetitions=9]
# Writes bench/results/kernels.md (table + machine description) and prints it.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ranks=${1:-2}; mib=${2:-128}; reps=${3:-9}
out="$home/bench/results/kernels.md"
mkdir -p "$(dirname "$out")"
[ -d "$home/target/classes/io/rankwise/array" ] || (cd "$home" && mvn -q -B -DskipTests package)
table=$("$home/bin/rankwise" run -n "$ranks" -t 1 --backend mpi -J -Xmx$((mib * 6 + 512))m \
  io.rankwise.array.KernelBench "$mib" "$reps")
{
  echo "# Block kernels vs memory bandwidth"
  echo
  echo "Run: \`bench/kernels.sh $ranks $mib $reps\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1);"
  echo "$(java -version 2>&1 | head -n1)."
  echo
  echo "$table"
} > "$out"
cat "$out"
