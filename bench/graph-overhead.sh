#!/usr/bin/env bash
# Task-graph targets of issue #3, measured: scheduling overhead per task (100,000 tiny tasks on
# 2 ranks), planning a 1,000,000-task graph, and the tutorial's delayed example against the ideal
# (total sleep / (ranks x threads)).
# Usage: bench/graph-overhead.sh [ranks=2] [threads-per-rank=4]
# Writes bench/results/graph-overhead.md and prints it.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ranks=${1:-2}; threads=${2:-4}
out="$home/bench/results/graph-overhead.md"
mkdir -p "$(dirname "$out")"
overhead=$("$home/bin/rankwise" run -n "$ranks" --backend mpi -J -Xmx4g io.rankwise.bench.GraphBench 100000 1000000)
tour_hints=$("$home/bin/rankwise" run -n "$ranks" -t "$threads" --backend mpi DelayedTour 20 0.5 | tail -n 1)
tour_plain=$("$home/bin/rankwise" run -n "$ranks" -t "$threads" --backend mpi -J -Dtour.noCostHints=true DelayedTour 20 0.5 | tail -n 1)
{
  echo "# Task graph overhead"
  echo
  echo "Run: \`bench/graph-overhead.sh $ranks $threads\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1);"
  echo "Open MPI $(ompi_info --version 2>/dev/null | sed -n 's/^Open MPI v//p' | head -n1), $(java -version 2>&1 | head -n1)."
  echo
  echo "$overhead"
  echo
  echo "## Tutorial delayed example (20 x inc, dec, add; random sleeps, mean 0.5 s)"
  echo
  echo "- with cost hints: $tour_hints"
  echo "- without:         $tour_plain"
} > "$out"
cat "$out"
