#!/usr/bin/env bash
# Installs or upgrades StoreGuard on Raspberry Pi OS / Debian (arm64, armhf, amd64) — issue item 1.
#
#   sudo deploy/install.sh
#
# Run it from a checkout or an unpacked release: it installs the code next to
# it under /opt/storeguard, keeps the config in /etc/storeguard and the state
# in /var/lib/storeguard, and runs the gateway as the systemd service
# `storeguard` (deploy/storeguard.service). Running it again upgrades in place:
# new code, same config and state. Every step prints one line: what it did,
# or why it left things as they were. docs/install-pi.md is the guide.
#
# Environment (all optional):
#   NODE_VERSION             Node.js release when one must be downloaded (default latest-v24.x; e.g. v22.12.0)
#   NODE_DIST_URL            where Node.js releases are downloaded from (default https://nodejs.org/dist)
#   STOREGUARD_NODE_TARBALL  a Node.js linux tarball already on disk, used instead of downloading
#   STOREGUARD_NODE_PREFIX   where a downloaded Node.js is unpacked (default /usr/local)
set -euo pipefail
umask 022

APP_DIR=/opt/storeguard
CONFIG_DIR=/etc/storeguard
CONFIG_FILE=$CONFIG_DIR/storeguard.yaml
ENV_FILE=$CONFIG_DIR/storeguard.env
ADMIN_TOKEN_FILE=$CONFIG_DIR/admin-token
STATE_DIR=/var/lib/storeguard
UNIT_FILE=/etc/systemd/system/storeguard.service
CLI_LINK=/usr/local/bin/storeguard
GPIO_UDEV_RULE=/etc/udev/rules.d/60-storeguard-gpio.rules
SERVICE_USER=storeguard
# package.json engines: Node.js 22.12 or later (20 is past its end of life; vitest's bundler needs 22.12)
NODE_MIN=22.12.0
# the LTS the project is tested on in CI
NODE_VERSION=${NODE_VERSION:-latest-v24.x}
NODE_DIST_URL=${NODE_DIST_URL:-https://nodejs.org/dist}
NODE_PREFIX=${STOREGUARD_NODE_PREFIX:-/usr/local}
NODE_TARBALL=${STOREGUARD_NODE_TARBALL:-}
# python3, make and g++ build better-sqlite3 and epoll when no prebuilt binary can be downloaded, and
# gateway/native (the memory trim, docs/performance.md#memory-trim) at every npm ci;
# gpiod gives the gateway libgpiod's tools (gpiomon, gpioset) where sysfs GPIO is gone;
# procps has /bin/kill, which the unit's ExecReload= runs (`systemctl reload storeguard`)
BASE_PACKAGES=(ca-certificates python3 make g++ gpiod procps)
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

say() { printf 'storeguard: %-8s %s\n' "$1" "$2"; }
die() {
  printf 'storeguard: error: %s\n' "$*" >&2
  exit 1
}

# --- checks -----------------------------------------------------------------

require_root_on_debian() {
  [ "$(id -u)" = 0 ] || die "run as root: sudo $0"
  if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
    die "needs Debian or Raspberry Pi OS (dpkg, apt-get)"
  fi
  if [ ! -f "$SRC_DIR/package.json" ] || [ ! -f "$SRC_DIR/deploy/storeguard.service" ]; then
    die "install.sh must sit in deploy/ of a StoreGuard checkout ($SRC_DIR has no package.json)"
  fi
}

# Sets ARCH (Debian's name) and NODE_ARCH (the Node.js release's name).
detect_arch() {
  ARCH=$(dpkg --print-architecture)
  case "$ARCH" in
  amd64) NODE_ARCH=x64 ;;
  arm64) NODE_ARCH=arm64 ;;
  armhf) NODE_ARCH=armv7l ;;
  *) die "architecture $ARCH is not supported (arm64, armhf, amd64)" ;;
  esac
  # shellcheck disable=SC1091 # every Debian has it
  say arch "$ARCH ($(uname -m)), $(. /etc/os-release && echo "${PRETTY_NAME:-unknown OS}")"
}

# --- Debian packages ----------------------------------------------------------

APT_UPDATED=no
is_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do is_installed "$pkg" || missing+=("$pkg"); done
  if [ "${#missing[@]}" = 0 ]; then
    say packages "already installed: $*"
    return
  fi
  local log
  log=$(mktemp)
  if [ "$APT_UPDATED" = no ]; then
    apt-get update -qq >"$log" 2>&1 || apt_failed "$log" "apt-get update failed"
    APT_UPDATED=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1 ||
    apt_failed "$log" "apt-get install ${missing[*]} failed"
  rm -f "$log"
  say packages "installed: ${missing[*]}"
}

apt_failed() {
  cat "$1" >&2
  die "$2"
}

# --- Node.js ------------------------------------------------------------------

version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }
node_version() { "$1" -p 'process.versions.node' 2>/dev/null || echo 0; }

# A node the service can run: new enough, with npm beside it, outside /home and /root (ProtectHome=yes).
usable_node() {
  local node=$1 real
  [ -x "$node" ] || return 1
  real=$(readlink -f "$node")
  case "$real" in /home/* | /root/*) return 1 ;; esac
  version_ge "$(node_version "$node")" "$NODE_MIN" || return 1
  [ -x "$(dirname "$node")/npm" ] || command -v npm >/dev/null
}

# Debian's candidate nodejs version without epoch and revision (22.12.0+dfsg-1 → 22.12.0), or 0.
apt_node_candidate() {
  local candidate
  candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { print $2 }')
  candidate=${candidate#*:}
  candidate=${candidate%%[+~-]*}
  if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then echo "$candidate"; else echo 0; fi
}

install_node_from_apt() {
  apt_install nodejs
  command -v npm >/dev/null || apt_install npm
  # node-gyp compiles against these headers instead of downloading them
  if [ ! -f /usr/include/node/node_version.h ] && apt-cache show libnode-dev >/dev/null 2>&1; then
    apt_install libnode-dev
  fi
}

# Downloads the release tarball for NODE_ARCH into $1, checks it against the release's SHASUMS256.txt
# and sets NODE_TARBALL to it.
download_node_tarball() {
  local dir=$1 sums line file
  apt_install curl
  sums=$(curl -fsSL "$NODE_DIST_URL/$NODE_VERSION/SHASUMS256.txt") ||
    die "cannot download $NODE_DIST_URL/$NODE_VERSION/SHASUMS256.txt"
  line=$(printf '%s\n' "$sums" |
    awk -v suffix="-linux-$NODE_ARCH.tar.xz" 'substr($2, length($2) - length(suffix) + 1) == suffix { print; exit }')
  [ -n "$line" ] || die "no linux-$NODE_ARCH tarball in $NODE_DIST_URL/$NODE_VERSION"
  file=${line##* }
  curl -fsSL -o "$dir/$file" "$NODE_DIST_URL/$NODE_VERSION/$file" || die "cannot download $file"
  (cd "$dir" && printf '%s\n' "$line" | sha256sum -c --quiet) || die "$file does not match its SHA-256 checksum"
  say node "downloaded $file, SHA-256 checked"
  NODE_TARBALL=$dir/$file
}

install_node_tarball() {
  if [ "$(uname -m)" = armv6l ]; then
    die "this ARMv6 board (Pi 1, Zero) has no official Node.js build: install Node.js >= $NODE_MIN, then run this again"
  fi
  local tmp
  tmp=$(mktemp -d)
  apt_install xz-utils
  [ -n "$NODE_TARBALL" ] || download_node_tarball "$tmp"
  [ -f "$NODE_TARBALL" ] || die "no Node.js tarball at $NODE_TARBALL"
  mkdir -p "$NODE_PREFIX"
  # an older release in the same prefix (a Pi installed when Node.js 20 would do): its npm and headers
  # are replaced, not merged with the new ones
  rm -rf "$NODE_PREFIX/lib/node_modules/npm" "$NODE_PREFIX/include/node"
  # bin/ include/ lib/ share/ into the prefix; the release's own README, LICENSE and CHANGELOG stay out
  tar -xf "$NODE_TARBALL" -C "$NODE_PREFIX" --strip-components=1 --no-same-owner --wildcards --no-wildcards-match-slash \
    --exclude='*/README.md' --exclude='*/LICENSE' --exclude='*/CHANGELOG.md'
  rm -rf "$tmp"
  say node "installed $(basename "$NODE_TARBALL") into $NODE_PREFIX"
}

# Sets NODE_BIN and NPM_BIN: keeps a node that is new enough, else apt's nodejs if that is, else the release tarball.
ensure_node() {
  local found
  found=$(command -v node || true)
  if [ -n "$found" ] && usable_node "$found"; then
    say node "kept $found v$(node_version "$found") (>= $NODE_MIN)"
  elif version_ge "$(apt_node_candidate)" "$NODE_MIN"; then
    install_node_from_apt
    found=$(command -v node)
    say node "installed Debian's nodejs v$(node_version "$found")"
  else
    [ -z "$found" ] || say node "not using $found v$(node_version "$found") (needs >= $NODE_MIN, outside /home and /root)"
    install_node_tarball
    found=$NODE_PREFIX/bin/node
  fi
  usable_node "$found" || die "node at $found is not usable (needs >= $NODE_MIN with npm)"
  NODE_BIN=$found
  NPM_BIN=$(dirname "$NODE_BIN")/npm
  [ -x "$NPM_BIN" ] || NPM_BIN=$(command -v npm)
  # node-gyp builds native modules against the installed headers instead of downloading them
  local prefix
  prefix=$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")
  if [ -f "$prefix/include/node/node_version.h" ]; then export npm_config_nodedir=$prefix; fi
}

# --- user and groups ------------------------------------------------------------

ensure_groups_and_user() {
  if getent group gpio >/dev/null; then
    say user "group gpio exists"
  else
    # plain Debian has no gpio group (Raspberry Pi OS does, with udev rules that hand it the GPIO devices)
    groupadd --system gpio
    say user "created group gpio"
  fi
  # without Raspberry Pi OS's rules (99-com.rules) /dev/gpiochip* stays root's: hand it to the gpio group
  if [ -d /etc/udev/rules.d ] && [ ! -f /etc/udev/rules.d/99-com.rules ] && [ ! -f "$GPIO_UDEV_RULE" ]; then
    printf '%s\n' '# StoreGuard (install.sh): members of gpio may open the GPIO character devices' \
      'SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"' >"$GPIO_UDEV_RULE"
    say user "wrote $GPIO_UDEV_RULE (applies from the next boot)"
  fi
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    say user "user $SERVICE_USER exists"
  else
    useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin \
      --comment "StoreGuard gateway" "$SERVICE_USER"
    say user "created system user $SERVICE_USER"
  fi
  local groups
  groups=" $(id -nG "$SERVICE_USER") "
  if [[ $groups == *" gpio "* && $groups == *" dialout "* ]]; then
    say user "$SERVICE_USER is in gpio and dialout"
  else
    usermod -a -G gpio,dialout "$SERVICE_USER"
    say user "added $SERVICE_USER to gpio and dialout"
  fi
}

# --- the app ------------------------------------------------------------------

# The files that make the app: everything but what is built, installed, generated or only for tests.
app_files() {
  (cd "$SRC_DIR" && find . \( -path ./.git -o -path ./.ci -o -path ./node_modules -o -path ./dist -o -path ./data \
    -o -path ./test -o -path ./bench -o -path ./test-artifacts -o -path ./coverage -o -name node_modules \
    -o -path ./gateway/native/build \
    -o -path ./.install-stamp -o -path ./.deps-stamp -o -name '*.db' -o -name '*.db-wal' -o -name '*.db-shm' \) -prune -o -type f -print0 | LC_ALL=C sort -z)
}

# What the installed build was made from: the source files, the node and the architecture.
source_stamp() {
  {
    app_files | (cd "$SRC_DIR" && xargs -0 sha256sum)
    echo "node $(node_version "$NODE_BIN") $ARCH"
  } | sha256sum | cut -c1-16
}

app_version() { "$NODE_BIN" -p "require('$1/package.json').version"; }

# What the installed node_modules were made from: the lockfile, the node and the architecture.
deps_stamp() {
  { cat "$SRC_DIR/package-lock.json" && echo "node $(node_version "$NODE_BIN") $ARCH"; } | sha256sum | cut -c1-16
}

# Fills BUILD_DIR/node_modules with every dependency, dev ones included (the build needs typescript).
# Same lockfile and node as the installed app: start from its node_modules, so native modules
# (better-sqlite3 takes minutes to compile on a Pi) are not built again; else a clean `npm ci`.
install_dependencies() {
  if [ -d "$APP_DIR/node_modules" ] && [ "$(cat "$APP_DIR/.deps-stamp" 2>/dev/null)" = "$DEPS_STAMP" ]; then
    cp -a "$APP_DIR/node_modules" "$BUILD_DIR/node_modules" &&
      "$NPM_BIN" install --include=dev --no-audit --no-fund --loglevel=error >/dev/null || return 1
    DEPS_HOW="kept the installed dependencies"
  else
    "$NPM_BIN" ci --no-audit --no-fund --loglevel=error >/dev/null || return 1
    DEPS_HOW="npm ci"
  fi
}

# In BUILD_DIR: the dependencies, dist/, then no more dev dependencies.
compile_app() {
  install_dependencies || return 1
  "$NPM_BIN" run --silent build >/dev/null || return 1
  "$NPM_BIN" prune --omit=dev --no-audit --no-fund --loglevel=error >/dev/null || return 1
  # prune leaves empty scope folders (@vitest/) behind
  find node_modules -mindepth 1 -maxdepth 1 -type d -empty -delete
}

# Copies the source into BUILD_DIR and builds it there; the running install is untouched until swap_app.
build_app() {
  local started=$SECONDS
  BUILD_DIR=$APP_DIR.new
  DEPS_STAMP=$(deps_stamp)
  rm -rf "$BUILD_DIR"
  mkdir -p "$BUILD_DIR"
  app_files | tar -C "$SRC_DIR" --null -T - -cf - | tar -C "$BUILD_DIR" -xf - --no-same-owner
  cd "$BUILD_DIR"
  compile_app || die "build failed in $BUILD_DIR; the installed version is unchanged"
  cd /
  echo "$STAMP" >"$BUILD_DIR/.install-stamp"
  echo "$DEPS_STAMP" >"$BUILD_DIR/.deps-stamp"
  say app "built StoreGuard $(app_version "$BUILD_DIR") in $BUILD_DIR in $((SECONDS - started)) s ($DEPS_HOW)"
}

# Sets BUILD_DIR to the build the rest of the steps use: a new one, or the installed one when nothing changed.
prepare_app() {
  STAMP=$(source_stamp)
  if [ -f "$APP_DIR/dist/gateway/cli.js" ] && [ "$(cat "$APP_DIR/.install-stamp" 2>/dev/null)" = "$STAMP" ]; then
    BUILD_DIR=$APP_DIR
    say app "StoreGuard $(app_version "$APP_DIR") in $APP_DIR is up to date (build $STAMP)"
  else
    build_app
  fi
}

# Puts the new build in place with two renames, so a failed build never leaves a half-installed app.
swap_app() {
  APP_CHANGED=no
  OLD_APP_DIR=
  [ "$BUILD_DIR" != "$APP_DIR" ] || return 0
  if [ -d "$APP_DIR" ]; then
    OLD_APP_DIR=$APP_DIR.old
    rm -rf "$OLD_APP_DIR"
    mv "$APP_DIR" "$OLD_APP_DIR"
  fi
  mv "$BUILD_DIR" "$APP_DIR"
  BUILD_DIR=$APP_DIR
  APP_CHANGED=yes
  if [ -n "$OLD_APP_DIR" ]; then
    say app "upgraded $APP_DIR in place (build $STAMP)"
  else
    say app "installed $APP_DIR (build $STAMP)"
  fi
}

# `storeguard validate`, `storeguard hash-secret` on the PATH, with the node the service uses.
install_cli() {
  local wrapper
  wrapper=$(printf '#!/bin/sh\n# written by StoreGuard install.sh\nexec %s %s/dist/gateway/cli.js "$@"' "$NODE_BIN" "$APP_DIR")
  if [ "$(cat "$CLI_LINK" 2>/dev/null)" = "$wrapper" ]; then
    say cli "$CLI_LINK is up to date"
  else
    printf '%s\n' "$wrapper" >"$CLI_LINK"
    chmod 0755 "$CLI_LINK"
    say cli "wrote $CLI_LINK"
  fi
}

# --- config and state -----------------------------------------------------------

# V8 heap limit for this board, in MB: ~180 MB RSS at 160 in the bench, so 96 leaves room on 512 MB and 1 GB boards.
heap_mb() {
  local kb
  kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  if [ "$kb" -le 1310720 ]; then
    echo 96
  elif [ "$kb" -le 2621440 ]; then
    echo 160
  else
    echo 256
  fi
}

# NODE_OPTIONS for a heap limit: up to 2 GB the young generation is capped too, or V8 keeps the
# pages of the start-up's garbage (docs/performance.md#v8-limits-per-board).
node_options() {
  case "$1" in
    96) echo "--max-old-space-size=96 --max-semi-space-size=2" ;;
    160) echo "--max-old-space-size=160 --max-semi-space-size=4" ;;
    *) echo "--max-old-space-size=$1" ;;
  esac
}

# The template's `users: []` becomes one admin whose token is new, random and kept only in ADMIN_TOKEN_FILE.
create_config() {
  local token hash tmp
  token=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  hash=$(printf '%s' "$token" | "$NODE_BIN" "$BUILD_DIR/dist/gateway/cli.js" hash-secret)
  tmp=$(mktemp)
  awk -v hash="$hash" -v when="$(date -u +%Y-%m-%d)" '
    /^  users: \[\]/ {
      print "  users:"
      print "    # created by install.sh on " when "; the token is in /etc/storeguard/admin-token (root only)"
      print "    - name: admin"
      print "      role: admin"
      print "      tokenHash: " hash
      next
    }
    { print }' "$BUILD_DIR/deploy/storeguard.example.yaml" >"$tmp"
  install -m 0640 -o root -g "$SERVICE_USER" "$tmp" "$CONFIG_FILE"
  (umask 077 && printf '%s\n' "$token" >"$ADMIN_TOKEN_FILE")
  rm -f "$tmp"
  CONFIG_CHANGED=yes
  say config "created $CONFIG_FILE from deploy/storeguard.example.yaml, admin token in $ADMIN_TOKEN_FILE"
}

create_env_file() {
  local heap tmp
  heap=$(heap_mb)
  tmp=$(mktemp)
  sed "s/^NODE_OPTIONS=.*/NODE_OPTIONS=\"$(node_options "$heap")\"/" "$BUILD_DIR/deploy/storeguard.env" >"$tmp"
  install -m 0640 -o root -g "$SERVICE_USER" "$tmp" "$ENV_FILE"
  rm -f "$tmp"
  CONFIG_CHANGED=yes
  say config "created $ENV_FILE: heap limit $heap MB for $(awk '/^MemTotal:/ { printf "%d MB", $2 / 1024 }' /proc/meminfo) of memory"
}

# Config and env file are created once and never overwritten: an upgrade keeps what the store set.
ensure_config() {
  CONFIG_CHANGED=no
  if [ ! -d "$CONFIG_DIR" ]; then
    install -d -m 0750 -o root -g "$SERVICE_USER" "$CONFIG_DIR"
    say config "created $CONFIG_DIR"
  fi
  if [ -f "$CONFIG_FILE" ]; then say config "kept $CONFIG_FILE"; else create_config; fi
  if [ -f "$ENV_FILE" ]; then say config "kept $ENV_FILE"; else create_env_file; fi
}

# Checks the config with the new build, as the service user with the service's environment, before the swap.
validate_config() {
  local out
  # shellcheck disable=SC2016 # $1… are the inner shell's arguments
  out=$(cd / && runuser -u "$SERVICE_USER" -- sh -c 'set -a; [ ! -r "$1" ] || . "$1"; set +a; exec "$2" "$3" validate "$4"' \
    sh "$ENV_FILE" "$NODE_BIN" "$BUILD_DIR/dist/gateway/cli.js" "$CONFIG_FILE" 2>&1) ||
    die "$CONFIG_FILE is not valid for the StoreGuard in $BUILD_DIR (the running one is untouched):
$out"
  say config "$out"
}

ensure_state_dir() {
  if [ "$(stat -c '%U:%G %a' "$STATE_DIR" 2>/dev/null)" = "$SERVICE_USER:$SERVICE_USER 750" ]; then
    say state "kept $STATE_DIR"
  else
    install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE_DIR"
    say state "$STATE_DIR is owned by $SERVICE_USER, mode 0750"
  fi
}

# --- systemd --------------------------------------------------------------------

# The unit as shipped, with ExecStart on the node this script settled on (systemd wants an absolute path).
install_unit() {
  local rendered
  rendered=$(mktemp)
  sed "s|^ExecStart=/usr/bin/env node |ExecStart=$NODE_BIN |" "$APP_DIR/deploy/storeguard.service" >"$rendered"
  if cmp -s "$rendered" "$UNIT_FILE"; then
    UNIT_CHANGED=no
    say unit "$UNIT_FILE is up to date"
  else
    install -m 0644 "$rendered" "$UNIT_FILE"
    UNIT_CHANGED=yes
    say unit "wrote $UNIT_FILE"
  fi
  rm -f "$rendered"
}

start_service() {
  if [ ! -d /run/systemd/system ]; then
    # a chroot or a container: enabling works offline, starting waits for the next boot
    command -v systemctl >/dev/null || die "systemctl not found: StoreGuard runs as a systemd service"
    systemctl enable --quiet storeguard.service
    say service "enabled; systemd is not running here, so it starts at the next boot"
    return
  fi
  [ "$UNIT_CHANGED" = no ] || systemctl daemon-reload
  if ! systemctl is-enabled --quiet storeguard.service; then
    systemctl enable --quiet storeguard.service
    say service "enabled at boot"
  fi
  if [ "$APP_CHANGED$UNIT_CHANGED$CONFIG_CHANGED" = nonono ] && systemctl is-active --quiet storeguard.service; then
    say service "running; nothing changed, not restarted"
    return
  fi
  # Type=notify: this returns once the gateway has sent READY=1, or fails
  systemctl restart storeguard.service || {
    journalctl -u storeguard.service -n 40 --no-pager >&2 || true
    die "storeguard did not start; see journalctl -u storeguard"
  }
  say service "restarted: $(systemctl is-active storeguard.service)"
}

# --- summary --------------------------------------------------------------------

console_url() {
  local hostport scheme host port
  # shellcheck disable=SC2016 # JavaScript, not shell
  hostport=$("$NODE_BIN" -e '
    const c = require(process.argv[1]).parse(require("fs").readFileSync(process.argv[2], "utf8")) ?? {}
    console.log(`${c.api?.tls ? "https" : "http"} ${c.api?.host ?? "127.0.0.1"} ${c.api?.port ?? 8080}`)' "$APP_DIR/node_modules/yaml" "$CONFIG_FILE" 2>/dev/null) ||
    hostport="http 127.0.0.1 8080"
  scheme=${hostport%% *}
  hostport=${hostport#* }
  host=${hostport% *}
  port=${hostport#* }
  case "$host" in 0.0.0.0 | :: | "") host=$(hostname -I 2>/dev/null | awk '{ print $1 }') ;; esac
  echo "$scheme://${host:-127.0.0.1}:$port/"
}

summary() {
  local state="not running (starts at the next boot)"
  [ ! -d /run/systemd/system ] || state=$(systemctl is-active storeguard.service || true)
  cat <<EOF

StoreGuard $(app_version "$APP_DIR") is installed.
  node     $NODE_BIN v$(node_version "$NODE_BIN")
  app      $APP_DIR
  config   $CONFIG_FILE (after an edit: storeguard validate $CONFIG_FILE && systemctl restart storeguard)
  env      $ENV_FILE
  state    $STATE_DIR
  service  storeguard.service, enabled at boot: $state
  logs     journalctl -u storeguard -f
  console  $(console_url) (admin token: sudo cat $ADMIN_TOKEN_FILE)
EOF
}

main() {
  require_root_on_debian
  detect_arch
  apt_install "${BASE_PACKAGES[@]}"
  ensure_node
  ensure_groups_and_user
  prepare_app
  ensure_config
  validate_config
  ensure_state_dir
  swap_app
  install_cli
  install_unit
  start_service
  [ -z "$OLD_APP_DIR" ] || rm -rf "$OLD_APP_DIR"
  summary
}

main "$@"
