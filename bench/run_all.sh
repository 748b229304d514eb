#!/usr/bin/env bash
# make bench: every benchmark in bench/, each printing ours / peer from the same run.
# Record the figures in docs/benchmarks.md with the date and the machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$here/../build}
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), $(date -u +%F)"
echo "== bench/import.sh: import throughput (peers: cp -r, gdcmscanner)"
"$here/import.sh" "$build"
echo "== bench/load.sh: series -> volume (peers: dcm2niix, raw read)"
"$here/load.sh" "$build"
echo "== bench/geometry.sh: tilted / variable-increment CT onto a regular grid (peer: dcm2niix's tilt correction / equalization)"
"$here/geometry.sh" "$build"
echo "== bench/register.sh: rigid registration of a moved copy (peer: ITK v4's textbook versor rigid + Mattes, 3 levels)"
"$here/register.sh" "$build"
echo "== bench/network.sh: find / get / move / storage SCP against a real Orthanc (peers: dcmtk tools)"
"$here/network.sh" "$build"
echo "== viewer_bench: lb_viewer SliceViewer at 1024x1024 under Xvfb (floor: bare VTK image actor)"
if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  xvfb-run -a -s "-screen 0 1600x1200x24" "$build/bench/viewer_bench" "$root/tests/data/ct_philips_ingenuity_phantom/S2010_axial_5mm" 5
else
  xvfb-run -a -s "-screen 0 1600x1200x24" "$build/bench/viewer_bench" "${LB_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/lightbox-bench}/ct" 60
fi
echo "== bench/gui.sh: the workstation under Xvfb (start, open, filter, memory; peer: dcm2niix)"
"$here/gui.sh" "$build"
echo "== first_slice_bench: time to the first image a viewer can show (budget: 50 ms)"
if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  "$build/bench/first_slice_bench" "$root/tests/data/mr_ge_pioneer_t1_mprage_3d"
else
  "$build/bench/first_slice_bench" "${LB_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/lightbox-bench}/ct"
fi
echo "== stored_file_check_bench: the check of stored files beside the load (budget: +20 %)"
check_cache=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-check-bench.XXXXXX")
"$build/bench/stored_file_check_bench" "$check_cache/ct" "$root/tests/data/ct_philips_ingenuity_phantom/S2010_axial_5mm" "${LB_BENCH_RUNS:-5}"
"$build/bench/stored_file_check_bench" "$check_cache/mr" "$root/tests/data/mr_ge_pioneer_t1_mprage_3d" "${LB_BENCH_RUNS:-5}"
rm -rf "$check_cache"
echo "== study_query_bench: browser queries on 100,000 studies (budget: 20 ms)"
query_cache=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-query-bench.XXXXXX")
trap 'rm -rf "$query_cache"' EXIT
"$build/bench/study_query_bench" "$query_cache/cache" "${LB_BENCH_STUDIES:-100000}"
