#!/usr/bin/env bash
# Starts a throwaway FerretDB v1 (MongoDB wire protocol, SQLite files underneath) on a free
# loopback port, so the MongoDB adapters' contract suites can run where no MongoDB server can.
#
# Usage (from .ci/run or a shell):
#   out="$(bash .ci/ferretdb.sh)" || exit 1; eval "$out"
#   ... MONGODB_URL is now set and exported ...
#   kill "$FERRETDB_PID"        # at exit; its temporary directory is removed once it is gone
#
# stdout carries only the assignments to eval; every message goes to stderr.
# Without a cached binary and without `go`, it prints nothing and exits 0: the server suites then
# report themselves SKIPPED instead of failing the run.
set -euo pipefail

readonly version=v1.24.2
readonly module=github.com/FerretDB/FerretDB
readonly cache_dir="${HOME}/.cache/asiointitili/ferretdb-${version}"
readonly binary="${cache_dir}/ferretdb"
readonly database=asiointitili

say() { printf 'ferretdb.sh: %s\n' "$*" >&2; }

binary_works() {
  [[ -x "$binary" ]] && "$binary" --version >/dev/null 2>&1
}

# FerretDB refuses to start unless build/version/version.txt is embedded in the binary, and since
# Go 1.24 a binary installed as a module's tool records the tool's own module as its main module,
# so `go get -tool ... && go install ...` alone yields a binary that panics at start-up. The
# scratch module is still how we fetch the exact version; we then build from a writable copy of
# the fetched source with version.txt written in, which is what FerretDB's own build task does.
build_binary() {
  if ! command -v go >/dev/null 2>&1; then
    say "no cached FerretDB at ${binary} and no 'go' to build one; MongoDB suites will be skipped"
    exit 0
  fi
  say "building FerretDB ${version} into ${cache_dir} (first run only)"
  local scratch
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the variable is local
  trap "rm -rf '${scratch}'" EXIT
  if ! (
    cd "$scratch"
    go mod init x
    go get -tool "${module}/cmd/ferretdb@${version}"
    source_dir="$(go list -m -f '{{.Dir}}' "$module")"
    cp -R "$source_dir" src
    chmod -R u+w src
    printf '%s\n' "$version" >src/build/version/version.txt
    cd src
    GOFLAGS=-buildvcs=false go build -trimpath -o "${scratch}/ferretdb" ./cmd/ferretdb
  ) >"${scratch}/build.log" 2>&1; then
    say "building FerretDB failed:"
    tail -n 30 "${scratch}/build.log" >&2
    exit 1
  fi
  mkdir -p "$cache_dir"
  # Build beside, then rename: a concurrent run never executes a half-written binary.
  cp "${scratch}/ferretdb" "${binary}.tmp.$$"
  mv -f "${binary}.tmp.$$" "$binary"
  rm -rf "$scratch"
  trap - EXIT
  binary_works || { say "the freshly built ${binary} does not run"; exit 1; }
}

free_port() {
  # The kernel picks a free port; there is a short window before FerretDB binds it, which the
  # caller covers by retrying on another port.
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();});"
}

accepts_connections() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts FerretDB; on success sets the globals port, pid and state_dir and returns 0.
start_once() {
  port="$(free_port)"
  state_dir="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb.XXXXXX")"
  # --debug-addr=- turns off the debug HTTP listener, whose fixed default port (8088) would make
  # a second instance on the same machine fail.
  nohup "$binary" \
    --handler=sqlite \
    --sqlite-url="file:${state_dir}/" \
    --state-dir="$state_dir" \
    --telemetry=disable \
    --listen-addr="127.0.0.1:${port}" \
    --debug-addr=- \
    --log-level=warn \
    >"${state_dir}/ferretdb.log" 2>&1 </dev/null &
  pid=$!
  local attempt
  for attempt in $(seq 1 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "FerretDB exited during start-up (attempt on port ${port}):"
      tail -n 20 "${state_dir}/ferretdb.log" >&2 || true
      rm -rf "$state_dir"
      return 1
    fi
    if accepts_connections "$port"; then
      return 0
    fi
    sleep 0.1
  done
  say "FerretDB did not accept connections on port ${port} within 15 s"
  kill "$pid" 2>/dev/null || true
  rm -rf "$state_dir"
  return 1
}

binary_works || build_binary

port='' pid='' state_dir=''
started=false
for _ in 1 2 3; do
  if start_once; then started=true; break; fi
done
if [[ "$started" != true ]]; then
  say "could not start FerretDB"
  exit 1
fi

# Remove the data directory once the server is gone (killed by the caller or crashed), so CI
# leaves nothing behind in TMPDIR. Fully detached: command substitution must not wait for it.
nohup bash -c "while kill -0 ${pid} 2>/dev/null; do sleep 1; done; rm -rf '${state_dir}'" \
  >/dev/null 2>&1 </dev/null &

say "FerretDB ${version} listening on 127.0.0.1:${port} (pid ${pid}, data in ${state_dir})"
printf 'MONGODB_URL=mongodb://127.0.0.1:%s/%s\n' "$port" "$database"
printf 'FERRETDB_PID=%s\n' "$pid"
printf 'export MONGODB_URL FERRETDB_PID\n'
