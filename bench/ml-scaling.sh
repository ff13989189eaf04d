#!/usr/bin/env bash
# ML benchmarks of issue #9, one command:
#   bench/ml-scaling.sh [--rows N] [--runs R] [--persist-rows N] [--predict-rows N]
# 1. distributed training: LogisticRegression on N x 20 (default 10,000,000; data generated per
#    block, 250,000 rows each) with 1 rank and with 2 ranks, alternating, median of R runs
#    (default 3): the 2-rank speedup.
# 2. ParallelPostFit predict and score over --persist-rows x 20 (default 40,000,000: 6.4 GB, as much as
#    two 6 GB ranks hold) on 2 ranks, the data generated once and persisted (kept in memory where
#    computed): rows per second per rank, against the estimator's own single-thread predict on an
#    in-memory block of the same shape.
# 3. the issue's size: predict and score over --predict-rows x 20 (default 100,000,000, 16 GB: generated
#    block by block as the passes run, never held), each pass's median time minus a generate-only pass's
#    (alternating, 3 times each).
# Writes bench/results/ml-<date>.md and prints it. Times are inside the driver (no JVM start).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=10000000 runs=3 prows=100000000 keep=40000000
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --predict-rows) prows=$2; shift 2 ;;
    --persist-rows) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "ml-scaling.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
rw=("$home/bin/rankwise" run -t 1 --backend mpi -J -Xmx6g -cp "$home/target/classes")
val() { grep "^$1=" | tail -n1 | cut -d= -f2; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
one=() two=()
for ((i = 0; i < runs; i++)); do
  o1=$("${rw[@]}" -n 1 io.rankwise.bench.MlBench train "$rows" 250000)
  o2=$("${rw[@]}" -n 2 io.rankwise.bench.MlBench train "$rows" 250000)
  one+=("$(echo "$o1" | val train_seconds)"); two+=("$(echo "$o2" | val train_seconds)")
  c1=$(echo "$o1" | val result); c2=$(echo "$o2" | val result)
  echo "ml-scaling: run $((i + 1)): 1 rank ${one[-1]} s, 2 ranks ${two[-1]} s (coef[4] $c1 / $c2)" >&2
done
t1=$(printf '%s\n' "${one[@]}" | median); t2=$(printf '%s\n' "${two[@]}" | median)
p=$("${rw[@]}" -n 2 io.rankwise.bench.MlBench predict "$keep" 250000)
g=$("${rw[@]}" -n 2 io.rankwise.bench.MlBench generated "$prows" 250000)
out="$home/bench/results/ml-$(date +%Y-%m-%d-%H%M).md"
{
  echo "# Rankwise ML benchmarks, $(date +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores; $(java -version 2>&1 | head -1); \`bench/ml-scaling.sh --rows $rows --runs $runs\`"
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| training $rows x 20, 1 rank (median of $runs) | $t1 s |"
  echo "| training $rows x 20, 2 ranks (median of $runs) | $t2 s |"
  echo "| 2-rank speedup (target >= 1.7) | $(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.2fx", a / b}') |"
  echo "| same coefficients for 1 and 2 ranks | $([ "$c1" = "$c2" ] && echo yes || echo "NO ($c1 vs $c2)") |"
  echo "| generate + persist $keep x 20 on 2 ranks | $(echo "$p" | val generate_persist_seconds) s |"
  echo "| predict, then score, over the persisted array | $(echo "$p" | val predict_seconds) s, $(echo "$p" | val score_seconds) s |"
  echo "| local single-thread predict, rows/s | $(echo "$p" | val local_predict_rows_per_s) |"
  echo "| ParallelPostFit predict per rank, rows/s | $(echo "$p" | val predict_per_rank_rows_per_s) |"
  echo "| ParallelPostFit score per rank, rows/s | $(echo "$p" | val score_per_rank_rows_per_s) |"
  echo "| local / per-rank predict (target <= 2) | $(echo "$p" | val ratio_local_over_predict) |"
  echo "| local / per-rank score | $(echo "$p" | val ratio_local_over_score) |"
  echo "| $prows x 20 generated as it runs, 2 ranks: generate-only pass | $(echo "$g" | val generate_seconds) s |"
  echo "| predict, then score, each generating again | $(echo "$g" | val predict_seconds) s, $(echo "$g" | val score_seconds) s |"
  echo "| what predict, then score add to the generation (median differences) | $(echo "$g" | val predict_minus_generate_seconds) s, $(echo "$g" | val score_minus_generate_seconds) s |"
} > "$out"
cp "$out" "$home/bench/results/ml-latest.md"
cat "$out"
