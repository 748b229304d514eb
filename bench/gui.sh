#!/usr/bin/env bash
# bench/gui.sh [BUILD_DIR]: the workstation under Xvfb (bench/gui_bench) on a cache holding
# 2,000 studies (bench/study_query_bench's generator) plus the 400-slice CT, and dcm2niix on the
# same CT in the same run (the whole series ready should take <= 0.5x dcm2niix's load time).
# Also `lightbox --cache C --quit` as a process: start, window, exit.
# LB_BENCH_SMOKE=1: the MP-RAGE of tests/data instead of the CT (CI: proves it runs).
source "$(dirname "$0")/common.sh"

if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  series="$root/tests/data/mr_ge_pioneer_t1_mprage_3d"
else
  [[ -d "$data/ct" ]] || /usr/bin/python3 "$here/make_bench_data.py" "$data" --only ct
  series="$data/ct"
fi
"$build/bench/study_query_bench" "$work/cache" "${LB_BENCH_STUDIES:-2000}" > /dev/null
"$cli" --cache "$work/cache" import "$series" > /dev/null
find "$series" -type f -exec cat {} + > /dev/null # warm page cache, as for every tool below

niix=()
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/niix" && mkdir -p "$work/niix"
  niix+=("$( { /usr/bin/time -f "%e" dcm2niix -z n -b n -o "$work/niix" "$series" >/dev/null 2>"$work/niix.err" && tail -1 "$work/niix.err"; } || echo 0)")
  sync
done
process=()
for ((i = 0; i < runs; i++)); do
  process+=("$(/usr/bin/time -f "%e" xvfb-run -a -s "-screen 0 1600x1200x24" "$build/app/lightbox" --cache "$work/cache" --quit 2>&1 >/dev/null | tail -1)")
done
whole=()
for ((i = 0; i < runs; i++)); do
  out=$(xvfb-run -a -s "-screen 0 1600x1200x24" "$build/bench/gui_bench" "$work/cache" 2>/dev/null)
  [[ $i == 0 ]] && printf "%s\n" "$out" | grep -v WHOLE_SERIES_MS
  whole+=("$(printf "%s\n" "$out" | awk '/WHOLE_SERIES_MS/ {print $2}')")
done
n=$(median "${niix[@]}")
w=$(median "${whole[@]}")
printf "%-44s %8s s  (median of %d; includes Xvfb's own start)\n" "lightbox --quit as a process" "$(median "${process[@]}")" "$runs"
printf "%-44s %8s ms (median of %d)\n" "whole series shown" "$w" "$runs"
printf "%-44s %8s s  (median of %d)\n" "dcm2niix -z n -b n, same series" "$n" "$runs"
/usr/bin/python3 -c "import sys; w=float(sys.argv[1])/1000; n=float(sys.argv[2]); print('%-44s %8s    target <= 0.5' % ('ours / dcm2niix', ('%.2f' % (w/n)) if n > 0 else 'n/a'))" "$w" "$n"
