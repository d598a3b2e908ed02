#!/usr/bin/env bash
# The product on Node 22 LTS beside the Node 20 of the machine: typecheck, build, and the unit and
# end-to-end suites run by Node 22's binary (the `node@22` npm package, installed into a temporary
# prefix: never into the project, where it would shadow the system node).
#
# better-sqlite3 is a native module compiled for the Node that ran `npm ci` (Node 20, ABI 115);
# Node 22 (ABI 127) cannot load it. So the suites run in a copy of the tree whose node_modules links
# every package of the real one except better-sqlite3, which is copied and rebuilt there with
# node-gyp against the headers the node@22 package ships (no download). The real node_modules is
# never touched.
#
#   .ci/node22.sh [jest arguments…]      (default: every suite but the slow fault suites)
#
# NODE22_DIR reuses a prefix with node@22 installed; BETTER_SQLITE3_NODE22 names a better-sqlite3
# directory already built for Node 22 (both only to save minutes when run by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

work="$(mktemp -d "${TMPDIR:-/tmp}/asiointitili-node22-XXXXXX")"
trap 'rm -rf "$work"' EXIT

prefix="${NODE22_DIR:-$work/node22}"
if [[ ! -x "$prefix/node_modules/node/bin/node" ]]; then
  echo "installing node@22 into $prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --no-save node@22 >/dev/null
fi
node22_bin="$prefix/node_modules/node/bin"
echo "Node 22: $("$node22_bin/node" --version)"

# A copy of the tracked tree (and the working changes), with node_modules linked package by package.
tree="$work/asiointitili"
mkdir -p "$tree/node_modules"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$tree"
shopt -s dotglob
for entry in "$root"/node_modules/*; do
  name="$(basename "$entry")"
  [[ "$name" == "better-sqlite3" ]] && continue
  ln -s "$(readlink -f "$entry")" "$tree/node_modules/$name"
done
shopt -u dotglob

if [[ -n "${BETTER_SQLITE3_NODE22:-}" ]]; then
  cp -r "$BETTER_SQLITE3_NODE22" "$tree/node_modules/better-sqlite3"
else
  cp -r "$(readlink -f "$root/node_modules/better-sqlite3")" "$tree/node_modules/better-sqlite3"
  headers="$(dirname "$(dirname "$(dirname "$(find "$prefix/node_modules" -path '*/include/node/node_api.h' -print -quit)")")")"
  gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  echo "rebuilding better-sqlite3 for Node 22 (headers: $headers)"
  started=$SECONDS
  (cd "$tree/node_modules/better-sqlite3" && rm -rf build && PATH="$node22_bin:$PATH" node "$gyp" rebuild --release --nodedir="$headers" -j "$(nproc)" >"$work/better-sqlite3-build.log" 2>&1) || {
    tail -30 "$work/better-sqlite3-build.log"
    echo "better-sqlite3 did not build for Node 22"
    exit 1
  }
  echo "better-sqlite3 rebuilt in $((SECONDS - started)) s"
fi

cd "$tree"
export PATH="$node22_bin:$PATH"
node -e 'require("better-sqlite3")(":memory:").prepare("select 1").get(); console.log("better-sqlite3 loads on", process.version)'

echo "typecheck and build on Node 22"
node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
node scripts/built.js --build

if [[ $# -eq 0 ]]; then
  # The fault suites (killed servers and stores, faketime, the browser) run on Node 20 only: they
  # exercise the operating system and the stores more than the runtime, and double CI time.
  set -- --testPathIgnorePatterns 'durability' 'restart' 'outage' 'faketime' 'routing-race' 'test/web/' 'test/fleet/'
fi
status=0
node "$root/.ci/jest-retry.js" "Node 22" "${NODE22_SUMMARY:-$work/summary.json}" "$@" || status=$?
exit "$status"
