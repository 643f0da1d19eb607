# shellcheck shell=bash
# Sourced by .ci/run: makes the `node` on the PATH a Node.js the project supports (package.json
# engines: 22.12 or later). A machine whose node is older (Debian bookworm has 18, trixie 20) gets
# Node.js $CI_NODE_MAJOR from the npm registry, the one place CI can download from besides Debian:
# the package node-linux-<arch> holds a whole release, bin/node and the include/node headers that
# node-gyp builds native modules against. It is unpacked once into a cache outside the checkout
# and put first on the PATH; the machine's npm then runs on it.
#
#   CI_NODE_MAJOR      the major to run on: set, it is fetched unless the node on the PATH is that
#                      major already (CI_NODE_MAJOR=22 .ci/run tests on 22); unset, 24 where needed
#   CI_NODE_CACHE      where releases are unpacked (default $HOME/.cache/storeguard-node)

CI_NODE_MIN=22.12.0

ci_node_ok() {
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  [ "$(printf '%s\n%s\n' "$v" "$CI_NODE_MIN" | sort -V | head -n1)" = "$CI_NODE_MIN" ] || return 1
  [ -z "${CI_NODE_MAJOR:-}" ] || [ "${v%%.*}" = "$CI_NODE_MAJOR" ]
}

ci_ensure_node() {
  ci_node_ok && return 0
  echo "ci: node $(node --version 2>/dev/null || echo missing) will not do (needs >= $CI_NODE_MIN${CI_NODE_MAJOR:+, major $CI_NODE_MAJOR}): fetching Node.js ${CI_NODE_MAJOR:-24} from the npm registry"
  local major=${CI_NODE_MAJOR:-24}
  command -v npm >/dev/null || {
    echo "ci: no npm to fetch Node.js with: install Node.js >= $CI_NODE_MIN" >&2
    return 1
  }
  local arch package version dir tmp
  case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *)
    echo "ci: no node-linux package for $(uname -m): install Node.js >= $CI_NODE_MIN" >&2
    return 1
    ;;
  esac
  package=node-linux-$arch
  # the newest release of the major: npm view prints one version, or a JSON list of them
  version=$(npm view "$package@$major" version --json |
    node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log([].concat(v).pop())') || return 1
  dir=${CI_NODE_CACHE:-$HOME/.cache/storeguard-node}/$package-$version
  if [ ! -x "$dir/bin/node" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz) || return 1
    mkdir -p "$(dirname "$dir")"
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
    echo "ci: unpacked $package@$version into $dir"
  fi
  export PATH="$dir/bin:$PATH"
  # native modules build against this release's headers, whatever the user's .npmrc says
  export npm_config_nodedir=$dir
  ci_node_ok || {
    echo "ci: $dir/bin/node does not run here" >&2
    return 1
  }
}
