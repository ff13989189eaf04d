#!/usr/bin/env bash
# Multi-host test on one machine: Rankwise jobs across "hosts" that are Linux network namespaces.
#
# Three namespaces rw-h1-ID, rw-h2-ID, rw-h3-ID (ID = this script's PID) each get one address in a
# test subnet (10.213.0.0/24 by default) on a veth whose other end is on a bridge in a fourth
# namespace, rw-br-ID. Nothing is added to the machine's own network namespace, so the test
# addresses exist only inside the test; IPv6 is off in the test namespaces. Every process of a
# "host" also runs in its own UTS namespace with the host's name as hostname, and sees an
# /etc/hosts that names the test hosts (a bind mount in a private mount namespace).
#
# mpirun runs inside rw-h1 with a hostfile naming the hosts by their test addresses. Open MPI
# starts its daemons with a launch agent (plm_rsh_agent) instead of ssh; the agent enters the
# namespace that owns the address. MPI traffic is TCP on the test subnet only (btl tcp,self: no
# shared memory), so ranks on different hosts can talk only over the veths and the bridge.
#
# Checks:
#  1. ranks run in the network namespace, with the hostname and address, of their host;
#  2. Hello reports every host and the right allReduce sum, and Open MPI's BTL log shows TCP
#     connections between hosts, to test addresses only;
#  3. ArrayMean and DataFrameTour print exactly what a one-host run (bin/rankwise run -n N, shared
#     memory) with the same rank count prints.
# Everything (processes, namespaces with their veths and bridge, files) is removed on exit, also
# after a failure or an interrupt. Exit status 0 when all checks pass, 1 with a FAILED line if not.
#
# Needs root, iproute2 and util-linux (installed with apt when missing), and a checkout built with
# native/install.sh. Usage: jobscripts/ci/netns-test.sh
# Environment: RW_NETNS_SUBNET (default 10.213.0, meaning 10.213.0.0/24), RW_NETNS_TIMEOUT (seconds
# per run, default 300), RW_NETNS_XMX (heap per rank, default 1g), RW_NETNS_DATAFRAME_ARGS (default
# "2000 2001 2h"), RW_NETNS_KEEP=1 (keep the work directory), RW_NETNS_VERBOSE=1 (agent log).
# shellcheck disable=SC2016  # single-quoted code is meant for the shells it is passed to
set -Eeuo pipefail

home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
rankwise="$home/bin/rankwise"
subnet="${RW_NETNS_SUBNET:-10.213.0}"
run_timeout="${RW_NETNS_TIMEOUT:-300}"
xmx="${RW_NETNS_XMX:-1g}"
read -r -a dataframe_args <<< "${RW_NETNS_DATAFRAME_ARGS:-2000 2001 2h}"
verbose="${RW_NETNS_VERBOSE:-0}"
slots=(2 1 1)                                   # one host per entry: ranks on that host
id=$$
started=$SECONDS

say() { echo "netns-test: $*"; }
fail() { echo "netns-test: FAILED: $*" >&2; exit 1; }
trap 'echo "netns-test: FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR     # any other failing command

[ "$(id -u)" -eq 0 ] || fail "must run as root (it creates network namespaces)"
[ -x "$rankwise" ] || fail "$rankwise not found"
[[ $subnet =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "RW_NETNS_SUBNET must be three octets, e.g. 10.213.0"

# ---- tools ---------------------------------------------------------------------------------------
missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
command -v mount >/dev/null || missing+=(mount)
command -v hostname >/dev/null || missing+=(hostname)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mpirun=${RANKWISE_MPIRUN:-}
if [ -z "$mpirun" ] && [ -f "$home/native/build/rankwise.env" ]; then
  mpirun=$(sed -n 's/^RANKWISE_MPIRUN=//p' "$home/native/build/rankwise.env")
fi
mpirun=${mpirun:-$(command -v mpirun || true)}
if [ -z "$mpirun" ] || [ ! -x "$mpirun" ]; then fail "mpirun not found; run native/install.sh first"; fi

# A batch allocation would make Open MPI use it instead of the test's hostfile.
unset SLURM_JOB_ID SLURM_JOBID SLURM_NODELIST PBS_JOBID PBS_NODEFILE LSB_JOBID
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# ---- names, work directory, teardown ---------------------------------------------------------------
nhosts=${#slots[@]}
bridge_ns="rw-br-$id"
hosts=() addrs=()
for ((i = 1; i <= nhosts; i++)); do
  hosts+=("rw-h$i-$id")                         # the namespace's name is also the host's name
  addrs+=("$subnet.$i")
done
nranks=0
for s in "${slots[@]}"; do nranks=$((nranks + s)); done

work=$(mktemp -d "${TMPDIR:-/tmp}/rw-netns.XXXXXX")
created_ns=()
running=""                                      # process group of the run in progress

kill_namespace_processes() {
  local ns pids
  for ns in "$@"; do
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
    [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
  done
}

teardown() {
  local rc=$?
  set +e
  trap - EXIT INT TERM ERR
  if [ -n "$running" ]; then                     # interrupted during a run: stop it, all of it
    kill -TERM -- "-$running" 2>/dev/null
    sleep 2
    kill -KILL -- "-$running" 2>/dev/null
  fi
  kill_namespace_processes "${created_ns[@]}"
  [ -z "$running" ] || wait "$running" 2>/dev/null
  for ns in "${created_ns[@]}"; do               # deleting a namespace deletes its veths and bridge
    ip netns del "$ns" 2>/dev/null || echo "netns-test: could not delete namespace $ns" >&2
  done
  if [ "${RW_NETNS_KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
    echo "netns-test: outputs are in $work" >&2
  else
    rm -rf "$work"
  fi
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Namespaces of an earlier run that was killed before it could clean up (its PID is gone).
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  if [[ $ns =~ ^rw-(br|h[0-9]+)-([0-9]+)$ ]] && [ ! -e "/proc/${BASH_REMATCH[2]}" ]; then
    say "removing stale namespace $ns"
    kill_namespace_processes "$ns"
    ip netns del "$ns" || true
  fi
done

# ---- network: a bridge namespace, and one namespace per host with a veth to the bridge ----------------
mkns() {
  ip netns add "$1" || fail "cannot create network namespace $1 (root with CAP_SYS_ADMIN and CAP_NET_ADMIN is needed)"
  created_ns+=("$1")
  ip -n "$1" link set lo up
  # IPv4 test addresses only: no IPv6 (not even link-local) on the test interfaces.
  ip netns exec "$1" sh -c 'for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do
    [ ! -e "$f" ] || echo 1 > "$f"; done'
}
mkns "$bridge_ns"
ip -n "$bridge_ns" link add br0 type bridge
ip -n "$bridge_ns" link set br0 up
for ((i = 0; i < nhosts; i++)); do
  ns=${hosts[$i]}
  mkns "$ns"
  # Both ends are created directly in test namespaces: the machine's own namespace is never touched.
  ip -n "$bridge_ns" link add "v$((i + 1))" type veth peer name eth0 netns "$ns"
  ip -n "$bridge_ns" link set "v$((i + 1))" master br0 up
  ip -n "$ns" addr add "${addrs[$i]}/24" dev eth0
  ip -n "$ns" link set eth0 up
done

# /etc/hosts as the test hosts see it
{
  echo "127.0.0.1 localhost"
  for ((i = 0; i < nhosts; i++)); do echo "${addrs[$i]} ${hosts[$i]}"; done
} > "$work/hosts"

# enter NS COMMAND...: run COMMAND as a process of host NS: its network namespace, and a private
# UTS and mount namespace with the host's hostname and the test's /etc/hosts.
cat > "$work/enter" <<EOF
#!/bin/bash
ns=\$1; shift
exec ip netns exec "\$ns" unshare --uts --mount --propagation private -- \\
  /bin/bash -c 'mount --bind "\$0" /etc/hosts && hostname "\$1" && shift && exec "\$@"' \\
  "$work/hosts" "\$ns" "\$@"
EOF

# The launch agent Open MPI uses instead of ssh: AGENT [ssh options] HOST COMMAND...
# COMMAND is a shell command line, as ssh would hand it to the remote shell.
{
  echo '#!/bin/bash'
  echo 'while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done'
  echo 'host=${1:?usage: agent HOST COMMAND...}; shift'
  echo 'case $host in'
  for ((i = 0; i < nhosts; i++)); do echo "  ${addrs[$i]}|${hosts[$i]}) ns=${hosts[$i]} ;;"; done
  echo '  *) echo "netns agent: $host is not a test host" >&2; exit 255 ;;'
  echo 'esac'
  [ "$verbose" != 1 ] || echo 'echo "netns agent: $host -> $ns: $*" >&2'
  echo "exec $work/enter \"\$ns\" /bin/sh -c \"\$*\""
} > "$work/agent"
chmod +x "$work/enter" "$work/agent"

for ((i = 0; i < nhosts; i++)); do echo "${addrs[$i]} slots=${slots[$i]}"; done > "$work/hostfile"

# Options of every multi-host mpirun: the test hosts, the agent, TCP on the test subnet only.
# shellcheck disable=SC2054  # tcp,self is one word
mca=(--hostfile "$work/hostfile"
     --mca plm rsh --mca plm_rsh_agent "$work/agent" --mca plm_rsh_no_tree_spawn 1
     --mca pml ob1 --mca btl tcp,self
     --mca btl_tcp_if_include "$subnet.0/24" --mca oob_tcp_if_include "$subnet.0/24")
export TMPDIR="$work/tmp"                      # Open MPI's session directories go there
mkdir -p "$TMPDIR"

# run NAME COMMAND...: run with a time limit, output to $work/NAME.{out,err}; on failure show both.
run() {
  local name=$1 rc=0 t0=$SECONDS
  shift
  # In the background, so that an interrupt is handled at once (teardown stops the process group).
  timeout -k 15 $((run_timeout + 30)) "$@" > "$work/$name.out" 2> "$work/$name.err" &
  running=$!
  wait "$running" || rc=$?
  running=""
  if [ $rc -ne 0 ]; then
    { echo "---- $name: stdout (end)"; tail -n 40 "$work/$name.out"
      echo "---- $name: stderr (end)"; tail -n 40 "$work/$name.err"; } >&2
    [ $rc -ne 124 ] || fail "$name timed out after ${run_timeout}s"
    fail "$name exited with $rc"
  fi
  times+=("$name $((SECONDS - t0))s")
}
times=()

say "hosts:$(for ((i = 0; i < nhosts; i++)); do printf ' %s=%s (%s ranks)' "${hosts[$i]}" "${addrs[$i]}" "${slots[$i]}"; done)"

# ---- 1. ranks run on their hosts ---------------------------------------------------------------------
run where "$work/enter" "${hosts[0]}" "$mpirun" -np "$nranks" "${mca[@]}" /bin/sh -c \
  'echo "rank $OMPI_COMM_WORLD_RANK host $(hostname) netns $(readlink /proc/self/ns/net) addr $(ip -o -4 addr show dev eth0 | sed "s/.* inet \([0-9.]*\).*/\1/")"'
sort -n -k2 "$work/where.out" | sed 's/^/  /'
[ "$(grep -c '^rank ' "$work/where.out")" -eq "$nranks" ] || fail "expected $nranks ranks, got: $(cat "$work/where.out")"
r=0
for ((i = 0; i < nhosts; i++)); do
  netns_i=$(ip netns exec "${hosts[$i]}" readlink /proc/self/ns/net)
  for ((k = 0; k < slots[i]; k++, r++)); do
    grep -qxF "rank $r host ${hosts[$i]} netns $netns_i addr ${addrs[$i]}" "$work/where.out" \
      || fail "rank $r is not in namespace ${hosts[$i]} ($netns_i, ${addrs[$i]}): $(grep "^rank $r " "$work/where.out")"
  done
done
[ "$(awk '{print $6}' "$work/where.out" | sort -u | wc -l)" -eq "$nhosts" ] || fail "ranks are not in $nhosts namespaces"

# ---- 2. Hello across the hosts, over TCP ---------------------------------------------------------------
rw_opts=(--timeout "$run_timeout" -J "-Xmx$xmx")
multi_opts=(-v)                                 # -v: the mpirun command goes to NAME.multi.err
for o in "${mca[@]}"; do multi_opts+=(-M "$o"); done
multi() { local name=$1; shift; run "$name.multi" "$work/enter" "${hosts[0]}" "$rankwise" run -n "$nranks" "${rw_opts[@]}" "${multi_opts[@]}" "$@"; }
single() { local name=$1; shift; run "$name.single" "$rankwise" run -n "$nranks" "${rw_opts[@]}" "$@"; }

multi hello -M --mca -M btl_base_verbose -M 30 Hello
sed 's/^/  /' "$work/hello.multi.out"
sum=$((nranks * (nranks - 1) / 2))
grep -qxF "allReduce(SUM) of ranks 0..$((nranks - 1)) = $sum (expected $sum)" "$work/hello.multi.out" \
  || fail "Hello: the allReduce line is missing or wrong"
r=0
for ((i = 0; i < nhosts; i++)); do
  for ((k = 0; k < slots[i]; k++, r++)); do
    grep -qxF "Hello from rank $r of $nranks on ${hosts[$i]}" "$work/hello.multi.out" \
      || fail "Hello: rank $r does not report host ${hosts[$i]}"
  done
done

# Open MPI 4's BTL log: "[HOST:PID] btl:tcp: connect() to ADDR:PORT completed ..." per connection.
sed -n 's/^\[\([^]:]*\):[0-9]*\] btl:tcp: connect() to \([0-9.]*\):[0-9]* completed.*/\1 \2/p' \
  "$work/hello.multi.err" > "$work/connections"
[ -s "$work/connections" ] || fail "Hello: no TCP connections in Open MPI's BTL log ($work/hello.multi.err)"
outside=$(awk -v net="$subnet." 'index($2, net) != 1' "$work/connections")
[ -z "$outside" ] || fail "Hello: TCP connections outside $subnet.0/24: $outside"
# Connections from one host to another host's address (a host may also connect to itself).
cross=()
while read -r from to; do
  for ((i = 0; i < nhosts; i++)); do
    [ "$from" != "${hosts[$i]}" ] || [ "$to" = "${addrs[$i]}" ] || cross+=("$from->$to")
  done
done < <(sort -u "$work/connections")
[ ${#cross[@]} -gt 0 ] || fail "Hello: no TCP connection between different hosts"
! grep -q "Using \(vader\|sm\) btl" "$work/hello.multi.err" || fail "Hello: shared memory was used"
say "Hello: TCP connections between hosts: ${cross[*]}"

# ---- 3. the same results across the hosts as on one host --------------------------------------------
compare() {
  local name=$1; shift
  multi "$name" "$@"
  single "$name" "$@"
  [ -s "$work/$name.single.out" ] || fail "$name printed nothing"
  # The drivers print results only (no timings), so the outputs must be identical.
  if ! diff -u "$work/$name.single.out" "$work/$name.multi.out" > "$work/$name.diff"; then
    head -n 40 "$work/$name.diff" >&2
    fail "$name $*: the output on $nhosts hosts differs from the one-host output"
  fi
  say "$name $*: $(wc -l < "$work/$name.multi.out") output lines identical on $nhosts hosts and on one host"
}
compare arraymean ArrayMean 2000 500
sed 's/^/  /' "$work/arraymean.multi.out"
compare dataframe DataFrameTour "${dataframe_args[@]}"
grep -A4 "^df.groupby('name').aggregate" "$work/dataframe.multi.out" | sed 's/^/  /'

say "run times: ${times[*]}"
say "OK: $nranks ranks on $nhosts hosts (network namespaces) over TCP; Hello, ArrayMean and DataFrameTour checked in $((SECONDS - started)) s"
