#!/usr/bin/env bash
# CI: jobscripts/pbs/rankwise-mpirun.pbs on this host, in the environment PBS would give it.
#
#   jobscripts/ci/pbs-test.sh            # from anywhere; Rankwise must be built
#
# There is no PBS server here: the script runs as the job would, with the variables PBS sets
# for a one-chunk job 'select=1:ncpus=<this host's CPUs>:mpiprocs=2' -- PBS_NODEFILE (this host,
# twice), PBS_O_WORKDIR, PBS_JOBID, PBS_JOBNAME, PBS_ENVIRONMENT, NCPUS, ... -- and its stdout
# and stderr joined into one log (as '#PBS -j oe' does). Checks:
#   - no arguments (plain 'qsub'): Hello on 2 ranks, exit code 0, its lines in the log;
#   - RANKWISE_DRIVER (as 'qsub -v' passes it) naming a driver that throws on rank 1: a non-zero
#     exit code and "rankwise: rank 1 of 2 failed in driver ..." in the log;
#   - from a work directory outside the checkout (RANKWISE_HOME), RANKWISE_DRIVER=ArrayMean with
#     RANKWISE_ARGS="2000 500" and RANKWISE_REPORT=report.html: exit code 0, the mean in the log,
#     the report in the work directory.
# What this cannot check: qsub's parsing of the #PBS lines, TM launch, more than one node.
# RANKWISE_CI_KEEP=1 keeps the temporary directory (it is always kept when a check fails).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pbs_script="$root/jobscripts/pbs/rankwise-mpirun.pbs"
fail_driver='io.rankwise.runtime.TestDrivers$ThrowOnRank1'
timeout_s=120

say() { printf 'pbs-test: %s\n' "$*"; }
die() { printf 'pbs-test: FAIL: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_start="$(now_ms)"

# A batch environment around this script, or job-script settings of the caller, must not leak
# into the jobs (they would change what is checked).
for v in $(compgen -e); do
  case "$v" in SLURM_* | SBATCH_* | PBS_* | NCPUS) unset "$v" ;; esac
done
unset RANKWISE_DRIVER RANKWISE_ARGS RANKWISE_CLASSPATH RANKWISE_HOME RANKWISE_REPORT RANKWISE_PROGRESS \
  RANKWISE_THREADS_PER_RANK RANKWISE_USE_NODEFILE RANKWISE_TIMEOUT RANKWISE_MEM_PER_RANK RANKWISE_JVM_OPTS

[ -x "$root/bin/rankwise" ] && [ -d "$root/target/classes/io/rankwise" ] && [ -d "$root/target/lib" ] \
  || die "Rankwise is not built in $root: run native/install.sh first"
if [ ! -f "$root/target/test-classes/io/rankwise/runtime/TestDrivers\$ThrowOnRank1.class" ]; then
  say "compiling the test classes (for the failing driver): mvn -o -q -B test-compile"
  (cd "$root" && mvn -o -q -B test-compile) || die "mvn test-compile failed"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/rankwise-pbs.XXXXXX")"
ok=0
finish() {
  local rc=$?
  trap - EXIT
  if [ "$rc" -ne 0 ] || [ "$ok" != 1 ]; then
    say "FAILED; logs are kept in $tmp"
    [ "$rc" -ne 0 ] || rc=1
  elif [ "${RANKWISE_CI_KEEP:-0}" = 1 ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap finish EXIT

host="$(hostname -s)"
cpus="$(nproc)"
threads=$(( cpus / 2 < 1 ? 1 : cpus / 2 ))
printf '%s\n%s\n' "$host" "$host" >"$tmp/nodefile"
mkdir -p "$tmp/work"

failures=0
summary=()
n=0

# job LABEL WORKDIR EXPECT_RC [NAME=VALUE...] [-- SCRIPT_ARGS...]: runs the PBS script as job
# LABEL (bounded by timeout), its log in $tmp/LABEL.log; sets rc and log.
job() {
  local label="$1" workdir="$2" want="$3" t0 secs envs=()
  shift 3
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ "$#" -eq 0 ] || shift
  n=$(( n + 1 ))
  log="$tmp/$label.log"
  check_ok=1
  t0="$(now_ms)"
  rc=0
  (
    cd "$HOME" 2>/dev/null || cd /   # PBS starts a job in the home directory
    exec env PBS_NODEFILE="$tmp/nodefile" PBS_O_WORKDIR="$workdir" PBS_JOBID="$n.ci-shim" \
      PBS_JOBNAME=rankwise PBS_JOBDIR="$HOME" PBS_ENVIRONMENT=PBS_BATCH PBS_O_HOST="$host" \
      PBS_QUEUE=workq PBS_NODENUM=0 PBS_TASKNUM=1 NCPUS="$cpus" OMP_NUM_THREADS="$cpus" \
      RANKWISE_JVM_OPTS=-Xmx256m "${envs[@]}" timeout --kill-after=10 "$timeout_s" bash "$pbs_script" "$@"
  ) >"$log" 2>&1 || rc=$?
  secs="$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')"
  row=("$n.ci-shim" "$label" "$rc" "$secs")
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    check "$label: the job did not end within ${timeout_s}s" false
  elif [ "$want" = nonzero ]; then
    check "$label: exit code $rc, expected non-zero" [ "$rc" -ne 0 ]
  else
    check "$label: exit code $rc, expected $want" [ "$rc" -eq "$want" ]
  fi
  say "job $n.ci-shim ($label): exit code $rc in ${secs}s"
}
check() {   # MESSAGE COMMAND...: COMMAND must succeed
  local msg="$1"
  shift
  if ! "$@"; then
    say "  CHECK FAILED: $msg"
    failures=$(( failures + 1 ))
    check_ok=0
  fi
}
expect_in() {   # LABEL TEXT...: each TEXT must be in the log
  local label="$1" t
  shift
  for t in "$@"; do
    check "$label: '$t' not in $log" grep -qF -- "$t" "$log"
  done
}
record() {
  [ "$check_ok" = 1 ] || { echo "---- $log"; sed 's/ -cp [^ ]* / -cp ... /' "$log"; echo "----"; }
  summary+=("$(printf '%-12s %-14s %4s %6s  %s' "${row[@]}" "$([ "$check_ok" = 1 ] && echo ok || echo FAILED)")")
}

# 1. plain qsub: no arguments, Hello
job hello "$root" 0
expect_in hello "=== rankwise job $n.ci-shim on 1 node(s) [$host]: 2 ranks (2 per node) x $threads threads; driver Hello" \
  "--hostfile $tmp/nodefile" "Hello from rank 0 of 2 on $host" "Hello from rank 1 of 2 on $host" \
  "allReduce(SUM) of ranks 0..1 = 1 (expected 1)" "=== rankwise job $n.ci-shim finished" "with exit code 0"
record

# 2. qsub -v RANKWISE_DRIVER=<a driver that throws on rank 1>
job fail "$root" nonzero RANKWISE_DRIVER="$fail_driver" RANKWISE_CLASSPATH="$root/target/test-classes"
expect_in fail "rankwise: rank 1 of 2 failed in driver $fail_driver: java.lang.IllegalStateException: boom on purpose (rank 1)" \
  "rankwise: aborting all 2 ranks (failure on rank 1)" "with exit code $rc"
record

# 3. qsub -v RANKWISE_DRIVER=ArrayMean,RANKWISE_ARGS=...,RANKWISE_REPORT=... from a work directory
#    outside the checkout
job report "$tmp/work" 0 RANKWISE_HOME="$root" RANKWISE_DRIVER=ArrayMean RANKWISE_ARGS="2000 500" \
  RANKWISE_REPORT=report.html
expect_in report "driver ArrayMean 2000 500" "with exit code 0"
check "report: no mean=0.5 in $log" grep -qE '^mean=0\.(49|50)' "$log"
check "report: no HTML report at $tmp/work/report.html" grep -qi '<html' "$tmp/work/report.html"
record

echo
say "$pbs_script on $host: PBS_NODEFILE = $host x 2, NCPUS=$cpus"
printf '  %-12s %-14s %4s %6s  %s\n' job what exit secs result
for l in "${summary[@]}"; do printf '  %s\n' "$l"; done
total=$(( ($(now_ms) - t_start) / 1000 ))
[ "$failures" -eq 0 ] || die "$failures check(s) failed ($total s)"
ok=1
say "all checks passed ($total s)"
