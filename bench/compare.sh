#!/usr/bin/env bash
# Rankwise side by side with Dask on this machine: one command, ratios.
#
#   bench/compare.sh [--quick] [--runs N] [--ranks R] [--threads T] [workload...]
#
# For each workload, after one warm-up run of each side, runs Dask and Rankwise alternately
# (A B A B ...) N times (default 5), timing whole processes with /usr/bin/time (wall, CPU, peak
# RSS of the largest process: for Rankwise that is one rank JVM, mpirun and the launcher being
# smaller). Dask runs its threaded scheduler with R x T threads; Rankwise runs R ranks x T threads.
# Before timing, both answers are checked (equal results, or the same statistics where random
# streams differ). Writes a markdown table with the machine description to
# bench/results/compare-<date>.md and bench/results/compare-latest.md, and prints it.
#
# Workloads (quick sizes in brackets):
#   array-mean        da.random.random((10000, 10000), chunks=1000).mean()         [2000/500]
#   array-mean-30k    the same, 30000^2 in 2000^2 chunks                           [4000/1000]
#   xxt-std           (x + x.T).std(axis=0).sum(), 20000^2 / 2000^2                [2000/500]
#   matmul            (x @ x).sum(), 8000^2 / 2000^2                               [1000/500]
#   delayed           the tutorial's 20 x inc/dec/add with random sleeps (mean 0.5 s) [6 items, 0.05 s]
#   frame-default     timeseries() -> filter y > 0 -> groupby('name').x.std() + resample('1h').mean()
#   frame-default-quick  the same, rank JVMs with run --jit quick (the fast JIT only; not in the default list)
#   frame-decade      timeseries('2000', '2010', freq='2H'): groupby std + agg({x: sum, y: max})
#   air               xarray's air_temperature structure, 40 years (time=58400, 155 MB, written once
#                     to /tmp/rankwise-bench-air40.nc): open with {lat:25, lon:25, time:-1}, monthly
#                     climatology, anomalies' std, seasonal means              [2 years]
#   frame-csv         8 CSV files of 4.5 M rows (id,name,x,y; 1.03 GB; written once to /tmp/rankwise-bench-csv-1g):
#                     read_csv(glob) -> df[df.y > 0].groupby('name').x.mean(), len(df)   [8 x 20,000]
#   frame-shuffle     groupby('key').x.mean() over 20 M rows with 1 M distinct int keys (40 partitions),
#                     by hash shuffle (Dask: split_out=40); data made and persisted first   [2 M rows, 100 k keys]
#   bag-json          8 JSON-lines files of people (1.6 M records, ~350 MB, written once to
#                     /tmp/rankwise-bench-people): read_text.map(json.loads), over-30 count, total count
#                     [8 x 2000 records]
#
# Needs Debian's python3-dask, python3-distributed, python3-pandas, python3-numpy (installed here
# with apt when missing: the benchmark's own set-up, never a dependency of Rankwise or its tests).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5; ranks=2; threads=1; quick=""; workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; runs=1 ;;
    --runs) runs=$2; shift ;;
    --ranks) ranks=$2; shift ;;
    --threads) threads=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) workloads+=("$1") ;;
  esac
  shift
done
[ ${#workloads[@]} -gt 0 ] || workloads=(array-mean array-mean-30k xxt-std matmul delayed frame-default frame-decade frame-csv frame-shuffle bag-json air)

say() { echo "compare: $*" >&2; }
missing=()
for p in python3-dask python3-distributed python3-pandas python3-numpy python3-xarray python3-netcdf4 time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing the Dask side: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -d "$home/target/classes/io/rankwise/bench" ] || (cd "$home" && mvn -q -B -DskipTests package)

py=/usr/bin/python3
dthreads=$((ranks * threads))
rw=("$home/bin/rankwise" run -n "$ranks" -t "$threads" --backend mpi -J -Xmx4g)

# name -> the two commands, and how to check answers (same | rel:TOL | mean:EXPECTED:TOL)
commands() {
  local w=$1 n c
  case "$w" in
    array-mean) if [ -n "$quick" ]; then n=2000 c=500; else n=10000 c=1000; fi
      A=("$py" "$home/bench/dask/array_bench.py" mean $n $c $dthreads)
      B=("${rw[@]}" io.rankwise.bench.ArrayBench mean $n $c); CHECK="near:0.5:0.002" ;;
    array-mean-30k) if [ -n "$quick" ]; then n=4000 c=1000; else n=30000 c=2000; fi
      A=("$py" "$home/bench/dask/array_bench.py" mean $n $c $dthreads)
      B=("${rw[@]}" io.rankwise.bench.ArrayBench mean $n $c); CHECK="near:0.5:0.001" ;;
    xxt-std) if [ -n "$quick" ]; then n=2000 c=500; else n=20000 c=2000; fi
      A=("$py" "$home/bench/dask/array_bench.py" xxt $n $c $dthreads)
      B=("${rw[@]}" io.rankwise.bench.ArrayBench xxt $n $c); CHECK="rel:0.01" ;;
    matmul) if [ -n "$quick" ]; then n=1000 c=500; else n=8000 c=2000; fi
      A=("$py" "$home/bench/dask/array_bench.py" matmul $n $c $dthreads)
      B=("${rw[@]}" io.rankwise.bench.ArrayBench matmul $n $c); CHECK="rel:0.01" ;;
    delayed) local items=20 mean=0.5; if [ -n "$quick" ]; then items=6 mean=0.05; fi
      A=("$py" "$home/bench/dask/delayed_bench.py" $items $mean $dthreads)
      B=("${rw[@]}" io.rankwise.bench.DelayedBench $items $mean); CHECK="same" ;;
    frame-default)
      A=("$py" "$home/bench/dask/frame_bench.py" default $dthreads)
      B=("${rw[@]}" io.rankwise.bench.FrameBench default); CHECK="same" ;;
    frame-default-quick) # the same with the rank JVMs on the fast JIT only (run --jit quick)
      A=("$py" "$home/bench/dask/frame_bench.py" default $dthreads)
      B=("${rw[@]}" --jit quick io.rankwise.bench.FrameBench default); CHECK="same" ;;
    frame-decade)
      A=("$py" "$home/bench/dask/frame_bench.py" decade $dthreads)
      B=("${rw[@]}" io.rankwise.bench.FrameBench decade); CHECK="same" ;;
    frame-csv) local per=4500000 dir=/tmp/rankwise-bench-csv-1g; if [ -n "$quick" ]; then per=20000 dir=/tmp/rankwise-bench-csv-quick; fi
      "${rw[@]}" io.rankwise.bench.FrameBench --make-csv "$dir" 8 "$per" >/dev/null
      A=("$py" "$home/bench/dask/frame_bench.py" csv "$dir" $dthreads)
      B=("${rw[@]}" io.rankwise.bench.FrameBench csv "$dir"); CHECK="same" ;;
    frame-shuffle) local rows=20000000 keys=1000000; if [ -n "$quick" ]; then rows=2000000 keys=100000; fi
      A=("$py" "$home/bench/dask/frame_bench.py" shuffle $rows $keys 40 $dthreads)
      # default heap (70% of the node shared by the ranks): the partials need more than -Xmx4g
      B=("$home/bin/rankwise" run -n "$ranks" -t "$threads" --backend mpi io.rankwise.bench.ShuffleBench $rows $keys 40 1)
      CHECK="same" ;;
    bag-json) local per=200000 dir=/tmp/rankwise-bench-people; if [ -n "$quick" ]; then per=2000 dir=/tmp/rankwise-bench-people-quick; fi
      "${rw[@]}" io.rankwise.bench.BagBench --make "$dir" 8 "$per" >/dev/null
      A=("$py" "$home/bench/dask/bag_bench.py" "$dir/*.json" $dthreads)
      B=("${rw[@]}" io.rankwise.bench.BagBench "$dir/*.json"); CHECK="same" ;;
    air) local years=40 f=/tmp/rankwise-bench-air40.nc; if [ -n "$quick" ]; then years=2 f=/tmp/rankwise-bench-air2.nc; fi
      [ -s "$f" ] || { say "air: writing the ${years}-year file $f (once)"; "$py" "$home/test-data/air/make_air.py" --years $years "$f"; }
      A=("$py" "$home/bench/dask/xarray_bench.py" "$f" $dthreads)
      B=("${rw[@]}" io.rankwise.bench.XarrayBench "$f"); CHECK="rel:1e-6" ;;
    *) echo "compare.sh: unknown workload '$w'" >&2; exit 2 ;;
  esac
}

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# run CMD... -> prints "wall user sys maxrss_kb result"
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || {
    say "FAILED: $*"; cat "$tmp/err" >&2; exit 1; }
  echo "$(cat "$tmp/time") $(grep '^result=' "$tmp/out" | tail -n1 | cut -d= -f2-)"
}

check() { # check RULE A B
  case "$1" in
    same) [ "$2" = "$3" ] ;;
    rel:*) "$py" -c "import sys; a,b=float('$2'),float('$3'); sys.exit(0 if abs(a-b) <= ${1#rel:}*abs(a) else 1)" ;;
    near:*) local r=${1#near:}; local e=${r%%:*} t=${r#*:}
      "$py" -c "import sys; sys.exit(0 if abs(float('$2')-$e) <= $t and abs(float('$3')-$e) <= $t else 1)" ;;
  esac
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

rows=()
for w in "${workloads[@]}"; do
  commands "$w"
  say "$w: warm-up"
  ra=$(timed "${A[@]}"); rb=$(timed "${B[@]}")
  resa=${ra##* }; resb=${rb##* }
  if ! check "$CHECK" "$resa" "$resb"; then
    say "$w: ANSWERS DIFFER: Dask $resa, Rankwise $resb ($CHECK); not timing it"
    rows+=("| $w | - | - | - | - | - | answers differ: Dask $resa, Rankwise $resb |")
    continue
  fi
  : > "$tmp/a"; : > "$tmp/b"; : > "$tmp/ratio"; : > "$tmp/ma"; : > "$tmp/mb"
  for i in $(seq 1 "$runs"); do
    ra=$(timed "${A[@]}"); rb=$(timed "${B[@]}")
    set -- $ra; ta=$1; ma=$4; set -- $rb; tb=$1; mb=$4
    echo "$ta" >> "$tmp/a"; echo "$tb" >> "$tmp/b"; echo "$ma" >> "$tmp/ma"; echo "$mb" >> "$tmp/mb"
    "$py" -c "print($ta / max($tb, 1e-9))" >> "$tmp/ratio"
    say "$w run $i: Dask ${ta}s, Rankwise ${tb}s"
  done
  da=$(median < "$tmp/a"); db=$(median < "$tmp/b"); rr=$(median < "$tmp/ratio")
  pa=$(median < "$tmp/ma"); pb=$(median < "$tmp/mb")
  rows+=("| $w | $da s | $db s | $(printf '%.2f' "$rr")x | $((pa / 1024)) MiB | $((pb / 1024)) MiB | ok ($CHECK) |")
done

date=$(date -u +%Y-%m-%d)
out="$home/bench/results/compare-$date-$(date -u +%H%M).md"
mkdir -p "$home/bench/results"
{
  echo "# Rankwise vs Dask, $date"
  echo
  echo "Command: \`bench/compare.sh${quick:+ --quick} --runs $runs --ranks $ranks --threads $threads ${workloads[*]}\`"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1);"
  echo "Dask $("$py" -c 'import dask; print(dask.__version__)') (threads: $dthreads), NumPy $("$py" -c 'import numpy; print(numpy.__version__)');"
  echo "Rankwise: $ranks ranks x $threads threads, Open MPI $(ompi_info --version 2>/dev/null | sed -n 's/^Open MPI v//p' | head -n1), $(java -version 2>&1 | head -n1)."
  echo "Whole processes, median of $runs alternating runs after a warm-up; ratio = Dask / Rankwise per pair, then median (> 1: Rankwise faster)."
  echo
  echo "| workload | Dask | Rankwise | ratio | peak RSS Dask | peak RSS Rankwise (one rank) | answers |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
} > "$out"
cp "$out" "$home/bench/results/compare-latest.md"
cat "$out"
