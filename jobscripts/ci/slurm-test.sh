#!/usr/bin/env bash
# CI: the Slurm job scripts under a real, private, single-node Slurm (Debian's slurm-wlm).
#
#   jobscripts/ci/slurm-test.sh            # as root, from anywhere; Rankwise must be built
#
# 1. Installs slurm-wlm and munge with apt if they are missing.
# 2. Writes a slurm.conf for this host (its name, CPUs and memory, detected) into a private
#    temporary directory and starts munged (own key and socket), slurmctld and slurmd from there
#    on free ports. SLURM_CONF points at it: /etc/slurm, /etc/munge and a system Slurm, if any,
#    are neither used nor changed.
# 3. Submits jobscripts/slurm/rankwise-mpirun.sbatch and rankwise-srun.sbatch with sbatch, the
#    resources overridden on the command line to fit this host (1 node, 2 tasks x 1 CPU):
#      - Hello must end COMPLETED, exit code 0:0, with its output in the job's log;
#      - a driver that throws on rank 1 (TestDrivers$ThrowOnRank1 from target/test-classes) must
#        end FAILED, exit code 1:0, with "rankwise: rank 1 of 2 failed in driver ..." in the log;
#      - ArrayMean submitted from a directory outside the checkout (RANKWISE_HOME) with
#        RANKWISE_REPORT: the default log rankwise-<jobid>.out and the report land there.
#    The exit state is read with 'scontrol show job' (MinJobAge keeps finished jobs) and checked
#    against the job completion log (jobcomp/filetxt); there is no slurmdbd, so no sacct.
# 4. Stops everything it started, by pid (trap on EXIT: also when a check fails or on ^C).
#
# Environment: RANKWISE_CI_SRUN_MPI=pmix|pmi2|... srun's MPI plugin for the srun jobs (default:
# pmix if 'srun --mpi=list' has it, otherwise those jobs are skipped with a message; 'skip' skips
# them); RANKWISE_CI_JOB_TIMEOUT=seconds per job (default 120); RANKWISE_CI_KEEP=1 keeps the
# temporary directory (it is always kept when a check fails).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
job_timeout="${RANKWISE_CI_JOB_TIMEOUT:-120}"
fail_driver='io.rankwise.runtime.TestDrivers$ThrowOnRank1'
fail_msg="rankwise: rank 1 of 2 failed in driver $fail_driver: java.lang.IllegalStateException: boom on purpose (rank 1)"

say() { printf 'slurm-test: %s\n' "$*"; }
die() { printf 'slurm-test: FAIL: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_start="$(now_ms)"

# A batch environment around this script, or job-script settings of the caller, must not leak
# into the jobs (they would change what is checked).
for v in $(compgen -e); do
  case "$v" in SLURM_* | SBATCH_* | SALLOC_* | SRUN_* | PBS_*) unset "$v" ;; esac
done
unset RANKWISE_DRIVER RANKWISE_ARGS RANKWISE_CLASSPATH RANKWISE_HOME RANKWISE_REPORT RANKWISE_PROGRESS \
  RANKWISE_THREADS_PER_RANK RANKWISE_USE_NODEFILE RANKWISE_TIMEOUT RANKWISE_MEM_PER_RANK RANKWISE_JVM_OPTS

[ "$(id -u)" -eq 0 ] || die "must run as root (slurmd starts the jobs, munged and slurmctld run as root here); try sudo"
[ -x "$root/bin/rankwise" ] && [ -d "$root/target/classes/io/rankwise" ] && [ -d "$root/target/lib" ] \
  || die "Rankwise is not built in $root: run native/install.sh first"
if [ ! -f "$root/target/test-classes/io/rankwise/runtime/TestDrivers\$ThrowOnRank1.class" ]; then
  say "compiling the test classes (for the failing driver): mvn -o -q -B test-compile"
  (cd "$root" && mvn -o -q -B test-compile) || die "mvn test-compile failed"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/rankwise-slurm.XXXXXX")"
case "$tmp" in *[[:space:]]*) die "temporary directory $tmp contains spaces; set TMPDIR" ;; esac
# munged wants every directory above its socket searchable by all.
chmod 755 "$tmp"
mkdir -p "$tmp/log" "$tmp/run" "$tmp/state" "$tmp/spool" "$tmp/jobs" "$tmp/submit"
mkdir -m 700 "$tmp/munge"
# Every process of this private Slurm (daemons, slurmstepd, job steps, ranks) carries this
# variable, so leftovers can be found by pid at the end without matching process names.
tag="RANKWISE_CI_SLURM_TAG=$tmp"

# ---- cleanup -------------------------------------------------------------------------------
munged_pid="" ctld_pid="" slurmd_pid="" ok=0

alive() {   # a live process (not a zombie) with this pid
  local s
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  s="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)"
  [ -n "$s" ] && [ "$s" != Z ]
}
stop_pid() {   # NAME PID: SIGTERM, up to 15 s, then SIGKILL; reaps it if it is our child
  local name="$1" pid="$2"
  [ -n "$pid" ] || return 0
  alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 75); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then
    say "$name (pid $pid) did not stop in 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}
tagged_pids() {
  grep -lzxF "$tag" /proc/[0-9]*/environ 2>/dev/null | sed -n 's#^/proc/\([0-9]*\)/environ$#\1#p' \
    | grep -vx -e "$$" -e "${BASHPID:-$$}" || true
}
cleanup() {
  local rc=$? pids
  set +e
  trap - EXIT INT TERM
  if alive "$ctld_pid"; then
    pids="$(squeue -h -o %i 2>/dev/null | tr '\n' ' ')"
    if [ -n "${pids// /}" ]; then
      say "cancelling jobs still queued or running: $pids"
      # shellcheck disable=SC2086
      scancel $pids 2>/dev/null
      for _ in $(seq 40); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
    fi
  fi
  stop_pid slurmd "$slurmd_pid"
  stop_pid slurmctld "$ctld_pid"
  pids="$(tagged_pids)"
  if [ -n "$pids" ]; then
    say "stopping leftover processes of this Slurm: $(echo $pids)"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null
    for _ in $(seq 25); do [ -z "$(tagged_pids)" ] && break; sleep 0.2; done
    pids="$(tagged_pids)"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
  fi
  stop_pid munged "$munged_pid"
  if [ "$rc" -ne 0 ] || [ "$ok" != 1 ]; then
    [ "$rc" -ne 0 ] || rc=1
    for f in slurmctld.log slurmd.log munged.log; do
      if [ -s "$tmp/log/$f" ]; then
        echo "---- last lines of $tmp/log/$f"
        tail -n 15 "$tmp/log/$f"
      fi
    done
    say "FAILED (exit $rc); everything is kept in $tmp"
  elif [ "${RANKWISE_CI_KEEP:-0}" = 1 ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

daemons_alive() {
  local pair
  for pair in "munged:$munged_pid" "slurmctld:$ctld_pid" "slurmd:$slurmd_pid"; do
    [ -z "${pair#*:}" ] || alive "${pair#*:}" \
      || die "${pair%%:*} (pid ${pair#*:}) exited; its log: $tmp/log/${pair%%:*}.log and $tmp/log/${pair%%:*}.out"
  done
}
wait_for() {   # SECONDS WHAT COMMAND...: until COMMAND succeeds, bounded; the daemons must stay up
  local secs="$1" what="$2" end
  shift 2
  end=$(( SECONDS + secs ))
  until "$@"; do
    daemons_alive
    [ "$SECONDS" -lt "$end" ] || die "timed out after ${secs}s waiting for $what"
    sleep 0.5
  done
}

# ---- 1. packages ---------------------------------------------------------------------------
missing=()
for c in slurmctld slurmd sbatch srun scontrol sinfo squeue scancel munged munge unmunge; do
  command -v "$c" >/dev/null || missing+=("$c")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install Slurm and MUNGE"
  say "installing slurm-wlm and munge with apt (missing: ${missing[*]})"
  apt_log="$tmp/log/apt.log"
  inst=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge)
  if ! "${inst[@]}" >"$apt_log" 2>&1; then
    { apt-get update -q && "${inst[@]}"; } >>"$apt_log" 2>&1 || { tail -n 20 "$apt_log"; die "apt-get install failed"; }
  fi
fi

# ---- 2. configuration and daemons ----------------------------------------------------------
host="$(hostname -s)"
cpus="$(nproc)"
mem_mb=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 ))
job_mem_mb=$(( mem_mb / 2 < 1024 ? mem_mb / 2 : 1024 ))
# The jobs ask for 2 CPUs (2 tasks x 1); a 1-CPU host is declared with 2 (config_overrides).
node_cpus=$(( cpus < 2 ? 2 : cpus ))

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port="" slurmd_port=""
for _ in $(seq 50); do
  p=$(( 20000 + RANDOM % 20000 ))
  if port_free "$p" && port_free "$(( p + 1 ))"; then ctld_port="$p" slurmd_port="$(( p + 1 ))"; break; fi
done
[ -n "$ctld_port" ] || die "found no two free TCP ports"

cat >"$tmp/slurm.conf" <<EOF
# Written by jobscripts/ci/slurm-test.sh: a private one-node cluster on $host.
ClusterName=rankwiseci
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/run/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$tmp/plugstack.conf
# No cgroups: processes are tracked through /proc, tasks are not confined.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
# No slurmdbd: finished jobs stay in 'scontrol show job' for an hour, and each one gets a line
# in the job completion log.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/log/jobcomp.txt
MinJobAge=3600
ReturnToService=2
KillWait=5
MailProg=/bin/true
# Trust the node line below (detected from nproc and /proc/meminfo) over slurmd's own probe.
SlurmdParameters=config_overrides
NodeName=$host CPUs=$node_cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
: >"$tmp/plugstack.conf"
export SLURM_CONF="$tmp/slurm.conf"

dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/munge/munge.key"
munged --foreground --key-file="$tmp/munge/munge.key" --socket="$tmp/run/munge.socket" \
  --pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/munged.seed" \
  >"$tmp/log/munged.out" 2>&1 &
munged_pid=$!
munge_works() { munge -n -S "$tmp/run/munge.socket" 2>/dev/null | unmunge -S "$tmp/run/munge.socket" >/dev/null 2>&1; }
wait_for 20 "munged to answer on $tmp/run/munge.socket" munge_works

env "$tag" slurmctld -D >"$tmp/log/slurmctld.out" 2>&1 &
ctld_pid=$!
ctld_up() { scontrol ping 2>/dev/null | grep -q 'is UP'; }
wait_for 30 "slurmctld to answer (scontrol ping)" ctld_up

env "$tag" slurmd -D >"$tmp/log/slurmd.out" 2>&1 &
slurmd_pid=$!
node_idle() { [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ]; }
wait_for 60 "node $host to be idle in sinfo" node_idle
say "$(sinfo -V) up in $(( ($(now_ms) - t_start) / 1000 )) s: node $host, $cpus CPUs, ${mem_mb} MB;" \
  "munged $munged_pid, slurmctld $ctld_pid, slurmd $slurmd_pid; SLURM_CONF=$SLURM_CONF"

# ---- 3. jobs -------------------------------------------------------------------------------
summary=()
failures=0

fail_check() { say "  CHECK FAILED: $*"; failures=$(( failures + 1 )); check_ok=0; }

# run_job LABEL SUBMIT_DIR OUTPUT EXPECT_STATE EXPECT_EXIT [NAME=VALUE...] -- SCRIPT [ARGS...]
# Submits SCRIPT with sbatch from SUBMIT_DIR (OUTPUT: --output, or "" for the script's own),
# waits for the job (bounded), checks its state and exit code; sets job_id and job_out.
run_job() {
  local label="$1" dir="$2" output="$3" want_state="$4" want_exit="$5"
  shift 5
  local envs=() sb=() attempt id="" t0 state="" exitc="" line secs
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  sb=(sbatch --parsable --job-name="rwci-$label" --nodes=1 --ntasks=2 --ntasks-per-node=2
    --cpus-per-task=1 --mem="${job_mem_mb}M" --time=5)
  [ -z "$output" ] || sb+=(--output="$output")
  check_ok=1
  job_done=0
  t0="$(now_ms)"
  for attempt in 1 2 3; do
    if id="$(cd "$dir" && env "$tag" RANKWISE_JVM_OPTS=-Xmx256m "${envs[@]}" "${sb[@]}" "$@" 2>>"$tmp/log/sbatch.err")"; then
      break
    fi
    # A submission can fail on a lost reply; do not submit the same job twice.
    id="$(squeue -h -n "rwci-$label" -o %i 2>/dev/null | head -n 1)"
    [ -z "$id" ] || break
    say "  sbatch failed (attempt $attempt): $(tail -n 1 "$tmp/log/sbatch.err")"
    sleep 2
  done
  id="${id%%;*}"
  job_id="$id"
  if [ -z "$id" ]; then
    fail_check "$label: sbatch failed 3 times"
    row=(- "$label" - - -)
    job_out=""
    return 0
  fi
  while :; do
    line="$(scontrol show job -o "$id" 2>/dev/null || true)"
    state="$(sed -n 's/.* JobState=\([A-Z_]*\).*/\1/p' <<<"$line")"
    case "$state" in
      COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED) break ;;
    esac
    daemons_alive
    if [ $(( $(now_ms) - t0 )) -gt $(( job_timeout * 1000 )) ]; then
      scancel "$id" 2>/dev/null || true
      fail_check "$label: job $id still ${state:-unknown} after ${job_timeout}s; cancelled"
      row=("$id" "$label" "$state" - "$job_timeout")
      job_out="$(sed -n 's/.* StdOut=\([^ ]*\).*/\1/p' <<<"$line")"
      return 0
    fi
    sleep 0.5
  done
  secs="$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')"
  exitc="$(sed -n 's/.* ExitCode=\([0-9]*:[0-9]*\).*/\1/p' <<<"$line")"
  job_out="$(sed -n 's/.* StdOut=\([^ ]*\).*/\1/p' <<<"$line")"
  [ "$state" = "$want_state" ] || fail_check "$label: job $id state $state, expected $want_state"
  [ "$exitc" = "$want_exit" ] || fail_check "$label: job $id exit code $exitc, expected $want_exit"
  # The completion log must say the same (slurmctld writes it when the job ends).
  local comp=""
  for _ in $(seq 10); do
    comp="$(grep "^JobId=$id " "$tmp/log/jobcomp.txt" 2>/dev/null || true)"
    [ -z "$comp" ] || break
    sleep 0.5
  done
  case "$comp" in
    *" JobState=$want_state "*" ExitCode=$want_exit"*) ;;
    *) fail_check "$label: job completion log for $id: '${comp:-no line}'" ;;
  esac
  job_done=1
  row=("$id" "$label" "$state" "$exitc" "$secs")
  say "job $id ($label): $state $exitc in ${secs}s, log $job_out"
}

# record: one summary row for the job run_job ran, with the outcome of all its checks
record() {
  summary+=("$(printf "%-6s %-14s %-10s %-5s %5s  %s" "${row[@]}" "$([ "$check_ok" = 1 ] && echo ok || echo FAILED)")")
}

# expect_in FILE LABEL TEXT...: each TEXT must be a line (or part of one) of FILE
expect_in() {
  local f="$1" label="$2" t
  shift 2
  if [ "$job_done" != 1 ]; then   # already failed; show what the job wrote
    [ ! -s "$f" ] || { echo "---- $f"; sed 's/ -cp [^ ]* / -cp ... /' "$f"; echo "----"; }
    return 0
  fi
  if [ ! -s "$f" ]; then
    fail_check "$label: output file ${f:-?} missing or empty"
    return 0
  fi
  for t in "$@"; do
    grep -qF -- "$t" "$f" || fail_check "$label: '$t' not in $f"
  done
  if [ "$check_ok" != 1 ]; then
    echo "---- $f"
    sed 's/ -cp [^ ]* / -cp ... /' "$f"
    echo "----"
  fi
}

hello_lines=("Hello from rank 0 of 2 on $host" "Hello from rank 1 of 2 on $host"
  "allReduce(SUM) of ranks 0..1 = 1 (expected 1)")
fail_lines=("$fail_msg" "rankwise: aborting all 2 ranks (failure on rank 1)")

# 3a. mpirun (bin/rankwise run) inside the allocation
run_job mpirun-hello "$root" "$tmp/jobs/mpirun-hello-%j.out" COMPLETED 0:0 \
  -- "$root/jobscripts/slurm/rankwise-mpirun.sbatch" Hello
expect_in "$job_out" mpirun-hello "=== rankwise job $job_id on 1 node(s) [$host]: 2 ranks x 1 threads; driver Hello" \
  "mpirun -np 2 --bind-to none" "${hello_lines[@]}" "=== rankwise job $job_id finished" "with exit code 0"
record

run_job mpirun-fail "$root" "$tmp/jobs/mpirun-fail-%j.out" FAILED 1:0 RANKWISE_CLASSPATH="$root/target/test-classes" \
  -- "$root/jobscripts/slurm/rankwise-mpirun.sbatch" "$fail_driver"
expect_in "$job_out" mpirun-fail "${fail_lines[@]}" "=== rankwise job $job_id finished" "with exit code 1"
record

# Submitted from outside the checkout: RANKWISE_HOME, the script's own --output (rankwise-%j.out
# in the submit directory), a relative RANKWISE_REPORT resolved against the submit directory.
run_job mpirun-report "$tmp/submit" "" COMPLETED 0:0 RANKWISE_HOME="$root" RANKWISE_REPORT=report.html \
  -- "$root/jobscripts/slurm/rankwise-mpirun.sbatch" ArrayMean 2000 500
if [ "$job_done" = 1 ]; then
  [ "$job_out" = "$tmp/submit/rankwise-$job_id.out" ] || fail_check "mpirun-report: log is $job_out, expected $tmp/submit/rankwise-$job_id.out"
  expect_in "$tmp/submit/rankwise-$job_id.out" mpirun-report "with exit code 0"
  grep -qE "^mean=0\.(49|50)" "$tmp/submit/rankwise-$job_id.out" 2>/dev/null || fail_check "mpirun-report: no mean=0.5 in the log"
  grep -qi '<html' "$tmp/submit/report.html" 2>/dev/null || fail_check "mpirun-report: no HTML report at $tmp/submit/report.html"
fi
record

# 3b. srun starting the ranks directly (PMI through Slurm)
srun_mpi="${RANKWISE_CI_SRUN_MPI:-}"
mpi_list="$(srun --mpi=list 2>&1 || true)"
if [ -z "$srun_mpi" ]; then
  if grep -qw pmix <<<"$mpi_list"; then srun_mpi=pmix; else srun_mpi=skip; fi
  [ "$srun_mpi" != skip ] || say "SKIPPED the srun jobs: this Slurm has no pmix plugin (srun --mpi=list: $(echo $mpi_list))"
fi
if [ "$srun_mpi" = skip ]; then
  summary+=("$(printf '%-6s %-14s %-10s %-5s %5s  %s' - srun-hello - - - skipped)")
  summary+=("$(printf '%-6s %-14s %-10s %-5s %5s  %s' - srun-fail - - - skipped)")
else
  run_job srun-hello "$root" "$tmp/jobs/srun-hello-%j.out" COMPLETED 0:0 RANKWISE_SRUN_MPI="$srun_mpi" \
    -- "$root/jobscripts/slurm/rankwise-srun.sbatch" Hello
  expect_in "$job_out" srun-hello "2 ranks x 1 threads (srun --mpi=$srun_mpi); driver Hello" \
    "rankwise: srun --mpi=$srun_mpi --ntasks=2 " "${hello_lines[@]}" "with exit code 0"
  record

  run_job srun-fail "$root" "$tmp/jobs/srun-fail-%j.out" FAILED 1:0 RANKWISE_SRUN_MPI="$srun_mpi" \
    RANKWISE_CLASSPATH="$root/target/test-classes" -- "$root/jobscripts/slurm/rankwise-srun.sbatch" "$fail_driver"
  expect_in "$job_out" srun-fail "${fail_lines[@]}" "with exit code 1"
  record
fi

# ---- 4. summary ----------------------------------------------------------------------------
echo
say "$(sinfo -V) on $host ($cpus CPUs, ${mem_mb} MB), 2 ranks x 1 thread per job, srun --mpi=$srun_mpi"
printf '  %-6s %-14s %-10s %-5s %5s  %s\n' job what state exit secs result
for l in "${summary[@]}"; do printf '  %s\n' "$l"; done
total=$(( ($(now_ms) - t_start) / 1000 ))
if [ "$failures" -gt 0 ]; then
  die "$failures check(s) failed ($total s)"
fi
ok=1
say "all checks passed ($total s)"
