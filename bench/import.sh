#!/usr/bin/env bash
# bench/import.sh [BUILD_DIR]: import throughput of lightbox-cli, with its peers measured in
# the same run on the same files:
#   - `cp -r` of the same folder (the copy floor: we copy every file into the store too),
#   - `gdcmscanner -r` reading the same headers (the header-scan floor).
# Datasets come from bench/make_bench_data.py (10,000 small files in 2,000 studies; a
# 400-slice 512x512 CT), generated once into $LB_BENCH_DATA. Every run starts a fresh cache;
# the page cache is warm (each set is read once before timing).
# LB_BENCH_SMOKE=1 runs on tests/data instead (CI: proves the benchmark runs).
source "$(dirname "$0")/common.sh"

if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  sets=("testdata:$root/tests/data")
else
  if [[ ! -d "$data/many" || ! -d "$data/ct" ]]; then
    echo "generating the benchmark dataset into $data (once, ~25 s)"
    /usr/bin/python3 "$here/make_bench_data.py" "$data" --only ct,many
  fi
  sets=("many:$data/many" "ct:$data/ct")
fi

# Median wall time of $runs runs of "$@" (stdout discarded). A command may use $RUN (0, 1, ..)
# to write somewhere fresh; targets are removed after all runs, so every tool creates its
# files on the same file-system state.
median_seconds() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    times+=("$(RUN=$i /usr/bin/time -f "%e" bash -c "$1" 2>&1 >/dev/null | tail -1)")
  done
  median "${times[@]}"
}

printf "%-9s %7s %9s %9s %9s %8s %9s %9s %10s %10s\n" set files MB ours_s files/s MB/s rss_MB cp_s ours/cp ours/scan
for entry in "${sets[@]}"; do
  name=${entry%%:*}
  dir=${entry#*:}
  files=$(find "$dir" -type f | wc -l)
  bytes=$(du -sb "$dir" | cut -f1)
  find "$dir" -type f -exec cat {} + > /dev/null # warm the page cache for everyone

  # Ours: median of $runs imports into fresh caches; peak RSS and count from the last run.
  ours=()
  for ((i = 0; i < runs; i++)); do
    out=$(/usr/bin/time -f "TIME %e %M" "$cli" --cache "$work/cache-$name-$i" --json import "$dir" 2>&1 >"$work/report-$name.json" | grep '^TIME' || true)
    read -r _ t rss_kb <<<"$out"
    ours+=("$t")
  done
  ours_s=$(median "${ours[@]}")
  cp_s=$(median_seconds "cp -r '$dir' '$work/copy-$name-'\$RUN")
  scan_s=$(median_seconds "gdcmscanner -r -t 0008,0018 -t 0020,000d -t 0020,000e -t 0010,0010 -t 0010,0020 -d '$dir'")
  imported=$(/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['imported'])" "$work/report-$name.json")
  awk -v n="$name" -v f="$imported" -v b="$bytes" -v t="$ours_s" -v r="$rss_kb" -v c="$cp_s" -v s="$scan_s" 'BEGIN {
    printf "%-9s %7d %9.1f %9.2f %9.0f %8.1f %9.1f %9.2f %10.2f %10.2f\n", n, f, b/1e6, t, f/t, b/1e6/t, r/1024, c, t/c, t/s }'
  echo "          gdcmscanner header scan: ${scan_s} s (median of $runs; ours: ${ours[*]})"
  rm -rf "$work"/cache-"$name"-* "$work"/copy-"$name"-* "$work"/scan-"$name"-*
done
