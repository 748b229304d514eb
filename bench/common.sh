# Sourced by the bench/*.sh scripts: where things are, a scratch folder, and a median.
# Sets: here root build cli data runs work.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
cli="$build/app/lightbox-cli"
data=${LB_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/lightbox-bench}
runs=${LB_BENCH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { printf "%s\n" "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
