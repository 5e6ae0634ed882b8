#!/usr/bin/env bash
# Copy the pinned front-end packages (package.json) into src/dealercrm/static/vendor/<name>/<version>/
# with their licences. Run by `make vendor`; the result is committed so users need no Node or CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
dest=src/dealercrm/static/vendor
rm -rf "$dest"
copy() {  # package, files relative to the package...
  local name=$1; shift
  local version
  version=$(node -p "require('$work/node_modules/$name/package.json').version")
  mkdir -p "$dest/$name/$version"
  for file in "$@"; do
    cp "$work/node_modules/$name/$file" "$dest/$name/$version/"
  done
  echo "vendored $name $version"
}
copy bootstrap dist/css/bootstrap.min.css \
  dist/js/bootstrap.bundle.min.js LICENSE
copy echarts dist/echarts.min.js LICENSE NOTICE
