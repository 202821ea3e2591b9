#!/bin/bash
# A real Spark cluster on this machine: a standalone master and two workers on the loopback
# interface, started from Spark's own classes out of the Maven artifacts (spark/pom.xml; nothing
# else is fetched), then the population job (spark/…/PopulationJob: 10,000 pk-dosing subjects,
# summed gradient) submitted to it and checked against the local ensemble to the last bit. The daemons are
# always stopped (trap), and every wait is bounded.
#
#   usage: tests/spark-cluster.sh [--no-install] [--skip-local-tests] [--local-mode] [--size N] [--repeat R]
#                              [--population pk-dosing|rober]
#     --no-install        use the sundials4j jars already in the local Maven repository
#     --skip-local-tests  build spark/ without running its local-mode tests
#     --local-mode        also run the job on Spark local mode (local[2]) for the wall-time figure
#     --size N            subjects (default 10000); --repeat R runs local ensemble and Spark job R times
#                         (default 1; the first Spark run includes the executors' start-up)
# Output: the job's JSON line(s); logs in spark/target/cluster/. Exit 0 only if the sums agree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

install=1 local_tests=1 local_mode=0 size=10000 repeat=1 population=pk-dosing
while (( $# )); do
  case "$1" in
    --no-install) install=0 ;;
    --skip-local-tests) local_tests=0 ;;
    --local-mode) local_mode=1 ;;
    --size) size="${2:?--size needs a value}"; shift ;;
    --repeat) repeat="${2:?--repeat needs a value}"; shift ;;
    --population) population="${2:?--population needs a value}"; shift ;;
    *) echo "spark-cluster: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "spark-cluster: $*" >&2; }

# 1. The library's API and natives jars into the local repository, then the Spark module (its
#    tests run Spark in local mode).
if (( install )); then
  log "installing sundials4j (mvn install -DskipTests)"
  mvn -B -q install -DskipTests
fi
log "building spark/ $( (( local_tests )) && echo 'with its local-mode tests' || echo 'without tests')"
(cd spark && mvn -B -q package $( (( local_tests )) || echo -DskipTests))

work="$root/spark/target/cluster"
rm -rf "$work"
mkdir -p "$work/home/jars" "$work/local"
# Spark's launcher code builds each executor's classpath from $SPARK_HOME/jars: a Spark home made of
# links to the Maven artifacts.
tr ':' '\n' < spark/target/spark-classpath.txt | while read -r j; do ln -s "$j" "$work/home/jars/"; done
module_jar=$(ls spark/target/sundials4j-spark-*.jar)
job_jars="$(tr ':' ',' < spark/target/job-classpath.txt),$root/$module_jar"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export SPARK_HOME="$work/home" SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 # every socket, UI included, on loopback
export SPARK_LOCAL_DIRS="$work/local"                            # scratch space of driver and executors
jvm=("@$root/spark/jvm.options")

pids=()
cleanup() {
  local p kids=()
  for p in "${pids[@]}"; do kids+=($(pgrep -P "$p" || true)); done # the workers' executors
  for p in "${pids[@]}" "${kids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    local alive=0
    for p in "${pids[@]}" "${kids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.25
  done
  for p in "${pids[@]}" "${kids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# Waits up to $2 seconds for the file $1 to contain $4 lines matching the regex $3.
wait_for() {
  local deadline=$((SECONDS + $2))
  while (( SECONDS < deadline )); do
    (( $(grep -cE "$3" "$1" 2>/dev/null || true) >= $4 )) && return 0
    sleep 0.5
  done
  log "timed out after $2 s waiting for '$3' in $1:"; tail -20 "$1" >&2
  return 1
}

log "starting the master"
"$java" "${jvm[@]}" -Xmx256m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
wait_for "$work/master.log" 60 'Starting Spark master at spark://' 1
master=$(grep -oE 'spark://127\.0\.0\.1:[0-9]+' "$work/master.log" | head -1)
log "master at $master; starting two workers (1 core, 1 GiB each)"
for w in 1 2; do
  mkdir -p "$work/worker$w"
  "$java" "${jvm[@]}" -Xmx256m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port 0 --webui-port 0 --cores 1 --memory 1g --work-dir "$work/worker$w" \
    "$master" > "$work/worker$w.log" 2>&1 &
  pids+=($!)
done
wait_for "$work/master.log" 60 'Registering worker' 2

driver_cp="$(cat spark/target/spark-classpath.txt):$(cat spark/target/job-classpath.txt):$root/$module_jar"
run_job() { # <master> <output file>
  timeout 900 "$java" "${jvm[@]}" -Xmx1g -Dlog4j2.configurationFile="$root/spark/src/test/resources/log4j2-test.properties" \
    -cp "$driver_cp" org.sundials4j.spark.PopulationJob --master "$1" --population "$population" --size "$size" --partitions 16 \
    --threads 2 --repeat "$repeat" --jars "$job_jars" --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
    --conf spark.driver.bindAddress=127.0.0.1 --conf spark.executor.memory=512m --conf spark.cores.max=2 \
    2> "$work/driver-$(basename "$2").log" | tee "$2"
}

status=0
log "submitting the population job ($size $population subjects, 16 partitions) to $master"
run_job "$master" "$work/cluster.json" || status=$?
executors=$(cat "$work/worker1.log" "$work/worker2.log" | grep -c 'Asked to launch executor' || true)
log "workers that launched an executor: $executors of 2"
if (( local_mode )); then
  log "the same job on Spark local mode (local[2])"
  run_job "local[2]" "$work/local.json" || status=$?
fi
if (( status != 0 )) || ! grep -q '"bitIdentical":true' "$work/cluster.json"; then
  log "FAILED (exit $status): the cluster's sum differs from the local ensemble's, or the job failed; logs in $work"
  tail -30 "$work/driver-cluster.json.log" >&2 || true
  exit 1
fi
if (( executors != 2 )); then log "FAILED: expected both workers to run an executor"; exit 1; fi
log "ok: the two-worker cluster's summed gradient has the local ensemble's bits"
