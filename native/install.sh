#!/usr/bin/env bash
# Installs what Rankwise needs on this machine, then builds Rankwise. Safe to re-run: each step
# checks whether it is already done (a second run takes seconds).
#
#  1. Open MPI with Java bindings:
#     - if this machine already has an Open MPI that ships mpi.jar (a cluster module, a source
#       build with --enable-mpi-java), that one is used and nothing is installed with apt;
#     - otherwise (Debian/Ubuntu) the packages openmpi-bin and libopenmpi-dev are installed, and
#       mpi.jar -- which Debian leaves out -- is compiled from Debian's own source package of the
#       very version installed, so it matches libmpi_java.so.
#  2. jhdf5 (HDF5 for Java), graphviz, OpenBLAS (native BLAS for block matrix products) and
#     netCDF's ncgen (creates the layout of NetCDF files Rankwise writes) from
#     Debian packages (Debian machines only).
#  3. mpi.jar and sis-jhdf5.jar go into the local Maven repository (~/.m2) as ordinary
#     dependencies, so Maven builds offline afterwards.
#  4. native/build/rankwise.env records where everything is (bin/rankwise and the tests read it).
#  5. mvn package builds Rankwise.
#
# Overrides (for clusters): RANKWISE_MPI_JAR=/path/to/mpi.jar (and RANKWISE_MPI_LIBDIR,
# RANKWISE_MPIRUN), RANKWISE_JHDF5_JAR / RANKWISE_JHDF5_LIBDIR. RANKWISE_SKIP_BUILD=1 skips step 5.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$home/native/build"
envfile="$build/rankwise.env"
mkdir -p "$build"

say() { echo "rankwise-install: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---- helpers -------------------------------------------------------------------------------

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*  (run this script as root, or install those packages yourself)"
  fi
}

apt_updated=""
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "packages missing (${missing[*]}) and this is not a Debian-like system"
  say "installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -q >/dev/null; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# An Open MPI installation that already provides mpi.jar next to its libraries.
find_existing_mpi_jar() {
  if [ -n "${RANKWISE_MPI_JAR:-}" ]; then
    [ -f "$RANKWISE_MPI_JAR" ] || die "RANKWISE_MPI_JAR=$RANKWISE_MPI_JAR does not exist"
    echo "$RANKWISE_MPI_JAR"; return 0
  fi
  command -v mpirun >/dev/null || return 1
  local cands=("$(dirname "$(readlink -f "$(command -v mpirun)")")/../lib/mpi.jar")
  if command -v ompi_info >/dev/null; then
    local libdir
    libdir=$(ompi_info --path libdir 2>/dev/null | sed -n 's/^ *Libdir: *//p')
    [ -n "$libdir" ] && cands+=("$libdir/mpi.jar")
  fi
  for c in "${cands[@]}"; do
    [ -f "$c" ] && { readlink -f "$c"; return 0; }
  done
  return 1
}

ompi_libdir() {
  ompi_info --path libdir 2>/dev/null | sed -n 's/^ *Libdir: *//p'
}

# Builds mpi.jar from Debian's source package of the installed Open MPI. The deb-src entries are
# derived from this machine's own apt sources (same mirror, suites and keys) and used through a
# private apt configuration, so the system's apt state is left alone.
build_debian_mpi_jar() {
  local pkg srcver upstream jar work
  pkg=$(dpkg -S libmpi_java.so 2>/dev/null | grep -v -- '-dev' | head -n1 | cut -d: -f1)
  [ -n "$pkg" ] || die "libmpi_java.so is not installed by any package (is libopenmpi3 installed?)"
  srcver=$(dpkg-query -W -f='${source:Version}' "$pkg")
  upstream=${srcver%-*}; upstream=${upstream#*:}
  jar="$build/mpi-$srcver.jar"
  if [ -s "$jar" ] && unzip -l "$jar" 2>/dev/null | grep -q 'mpi/MPI.class'; then
    echo "$jar"; return 0
  fi
  say "building mpi.jar from Debian's source package openmpi $srcver (Debian does not ship it)"
  command -v javac >/dev/null || die "javac not found: install a JDK (e.g. openjdk-17-jdk-headless)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/apt/sources" "$work/apt/lists/partial"
  local n=0
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed -E 's/^Types:.*$/Types: deb-src/' "$f" > "$work/apt/sources/src$n.sources"; n=$((n+1))
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    grep -E '^deb ' "$f" | sed 's/^deb /deb-src /' > "$work/apt/sources/src$n.list" || true; n=$((n+1))
  done
  local aptopts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/apt/sources"
    -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
  apt-get "${aptopts[@]}" update -q >"$work/update.log" 2>&1 ||
    { cat "$work/update.log" >&2; die "apt-get update for the source index failed"; }
  (cd "$work" && apt-get "${aptopts[@]}" source --download-only "openmpi=$srcver" >"$work/source.log" 2>&1) ||
    { cat "$work/source.log" >&2; die "could not download Debian's source package openmpi=$srcver"; }
  local tarball
  tarball=$(ls "$work"/openmpi_"$upstream".orig.tar.* 2>/dev/null | head -n1)
  [ -n "$tarball" ] || die "source tarball openmpi_$upstream.orig.tar.* not found after download"
  tar -xf "$tarball" -C "$work" --wildcards '*/ompi/mpi/java/java/*.java'
  mkdir -p "$work/classes"
  javac -nowarn --release 8 -d "$work/classes" "$work"/openmpi-*/ompi/mpi/java/java/*.java 2>"$work/javac.log" ||
    { cat "$work/javac.log" >&2; die "compiling Open MPI's Java bindings failed"; }
  jar cf "$jar.tmp" -C "$work/classes" . && mv "$jar.tmp" "$jar"
  say "built $jar"
  echo "$jar"
}

# Installs a jar into ~/.m2 under groupId:artifactId:local, unless the same file is there already.
maven_install() {
  local file=$1 group=$2 artifact=$3
  local dest="$HOME/.m2/repository/${group//.//}/$artifact/local/$artifact-local.jar"
  if [ -f "$dest" ] && cmp -s "$file" "$dest"; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found: install Maven (Debian: apt-get install maven)"
  say "adding $(basename "$file") to the local Maven repository as $group:$artifact:local"
  mvn -q -B install:install-file -Dfile="$file" -DgroupId="$group" -DartifactId="$artifact" \
    -Dversion=local -Dpackaging=jar -DgeneratePom=true >/dev/null ||
    die "mvn install:install-file failed for $file"
}

# ---- 1. Open MPI -----------------------------------------------------------------------------

if mpi_jar=$(find_existing_mpi_jar); then
  say "using the Open MPI Java bindings already on this machine: $mpi_jar (nothing installed with apt)"
  mpi_libdir=${RANKWISE_MPI_LIBDIR:-}
  if [ -z "$mpi_libdir" ]; then
    if [ -f "$(dirname "$mpi_jar")/libmpi_java.so" ]; then mpi_libdir=$(dirname "$mpi_jar"); else mpi_libdir=$(ompi_libdir); fi
  fi
  debian=""
else
  command -v dpkg-query >/dev/null ||
    die "no Open MPI with Java bindings found. Load your site's Open MPI module (built with --enable-mpi-java) or set RANKWISE_MPI_JAR"
  debian=1
  apt_install openmpi-bin libopenmpi-dev
  mpi_jar=$(build_debian_mpi_jar)
  mpi_libdir=${RANKWISE_MPI_LIBDIR:-$(dirname "$(readlink -f "$(dpkg -L "$(dpkg -S libmpi_java.so | grep -v -- '-dev' | head -n1 | cut -d: -f1)" | grep 'libmpi_java.so' | head -n1)")")}
fi
mpirun=${RANKWISE_MPIRUN:-$(command -v mpirun || true)}
[ -x "$mpirun" ] || die "mpirun not found (set RANKWISE_MPIRUN)"
[ -f "$mpi_libdir/libmpi_java.so" ] || die "libmpi_java.so not found in $mpi_libdir (set RANKWISE_MPI_LIBDIR)"
ompi_version=$(ompi_info --version 2>/dev/null | sed -n 's/^Open MPI v//p' | head -n1)

# ---- 2. jhdf5 and graphviz -------------------------------------------------------------------

jhdf5_jar=${RANKWISE_JHDF5_JAR:-}
jhdf5_libdir=${RANKWISE_JHDF5_LIBDIR:-}
if [ -n "$debian" ]; then
  apt_install libsis-jhdf5-java libsis-jhdf5-jni graphviz libopenblas0-pthread netcdf-bin
  jhdf5_jar=${jhdf5_jar:-/usr/share/java/sis-jhdf5.jar}
  jhdf5_libdir=${jhdf5_libdir:-/usr/lib/jni}
fi
if [ -n "$jhdf5_jar" ] && [ ! -f "$jhdf5_jar" ]; then die "jhdf5 jar $jhdf5_jar does not exist"; fi
[ -n "$jhdf5_jar" ] || say "note: jhdf5 not found (set RANKWISE_JHDF5_JAR); HDF5 input/output will be unavailable"
command -v dot >/dev/null || say "note: graphviz 'dot' not found; graph pictures will be written as DOT only"
command -v ncgen >/dev/null || say "note: netCDF's 'ncgen' not found (Debian: netcdf-bin); writing NetCDF files will be unavailable"

# ---- 3. local Maven repository ---------------------------------------------------------------

maven_install "$mpi_jar" org.open-mpi mpi
if [ -n "$jhdf5_jar" ]; then
  maven_install "$(readlink -f "$jhdf5_jar")" ch.systemsx.cisd sis-jhdf5
  # jhdf5's n-d array classes live in sis-base.jar, next to it (Debian: libsis-base-java).
  sis_base="$(dirname "$(readlink -f "$jhdf5_jar")")/sis-base.jar"
  [ -f "$sis_base" ] || sis_base="$(dirname "$jhdf5_jar")/sis-base.jar"
  [ -f "$sis_base" ] || die "sis-base.jar (jhdf5's companion) not found next to $jhdf5_jar"
  maven_install "$(readlink -f "$sis_base")" ch.systemsx.cisd sis-base
fi

# ---- 4. record the installation --------------------------------------------------------------

cat > "$envfile.tmp" <<EOF
# Written by native/install.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Environment variables of the same
# names override these values.
RANKWISE_MPI_JAR=$mpi_jar
RANKWISE_MPI_LIBDIR=$mpi_libdir
RANKWISE_MPIRUN=$mpirun
RANKWISE_OMPI_VERSION=${ompi_version:-unknown}
RANKWISE_JHDF5_JAR=$jhdf5_jar
RANKWISE_JHDF5_LIBDIR=$jhdf5_libdir
EOF
mv "$envfile.tmp" "$envfile"
say "Open MPI ${ompi_version:-?}: mpi.jar=$mpi_jar, libmpi_java in $mpi_libdir, mpirun=$mpirun"

# ---- 5. build --------------------------------------------------------------------------------

if [ -z "${RANKWISE_SKIP_BUILD:-}" ]; then
  say "building Rankwise (mvn package)"
  (cd "$home" && mvn -q -B -DskipTests package) || die "the Maven build failed (see above)"
fi
say "done. Try: bin/rankwise run -n 2 Hello"
