#!/usr/bin/env bash
# bench/load.sh [BUILD_DIR]: series -> volume speed. For each set (CT 400 uncompressed, JPEG-LS,
# JPEG 2000; MR 180) the series is imported into a cache once, then `lightbox-cli volume
# SERIES_UID` is timed (process start to exit, warm page cache), beside dcm2niix -z n -b n on
# the same files and the raw read of those files (cat > /dev/null), median of $LB_BENCH_RUNS.
# Datasets: bench/make_bench_data.py + bench/make_compressed.sh into $LB_BENCH_DATA.
# LB_BENCH_SMOKE=1 uses the MP-RAGE of tests/data instead (CI: proves the benchmark runs).
source "$(dirname "$0")/common.sh"

if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  sets=("mprage:$root/tests/data/mr_ge_pioneer_t1_mprage_3d")
else
  [[ -d "$data/ct" ]] || /usr/bin/python3 "$here/make_bench_data.py" "$data" --only ct,mr
  [[ -d "$data/mr" ]] || /usr/bin/python3 "$here/make_bench_data.py" "$data" --only mr
  [[ -d "$data/ct_jls" && -d "$data/ct_j2k" ]] || "$here/make_compressed.sh" "$data"
  sets=("ct:$data/ct" "ct_jls:$data/ct_jls" "ct_j2k:$data/ct_j2k" "mr:$data/mr")
fi


printf "%-8s %6s %9s %9s %9s %9s %11s %9s\n" set files ours_s rss_MB dcm2niix_s read_s ours/niix vol_MB
for entry in "${sets[@]}"; do
  name=${entry%%:*}
  dir=${entry#*:}
  files=$(find "$dir" -type f ! -name '*.json' ! -name '*.txt' | wc -l)
  "$cli" --cache "$work/cache-$name" --json import "$dir" > /dev/null || true
  uid=$("$cli" --cache "$work/cache-$name" --json volume "$dir" 2>/dev/null | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['series_uid'])")
  find "$dir" -type f -exec cat {} + > /dev/null
  # Each tool's runs back to back: dcm2niix writes a 210 MB NIfTI whose writeback would
  # otherwise land in the middle of our next run.
  ours=() niix=() reads=()
  for ((i = 0; i < runs; i++)); do
    out=$(/usr/bin/time -f "TIME %e %M" "$cli" --cache "$work/cache-$name" --json volume "$uid" 2>&1 >"$work/volume.json" | grep '^TIME')
    read -r _ t rss_kb <<<"$out"
    ours+=("$t")
  done
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/niix" && mkdir -p "$work/niix"
    # dcm2niix in Debian 12 cannot read JPEG-LS: such a run counts as "n/a" (0).
    t_niix=$( { /usr/bin/time -f "%e" dcm2niix -z n -b n -o "$work/niix" "$dir" >/dev/null 2>"$work/niix.err" && tail -1 "$work/niix.err"; } || echo 0)
    [[ -z "$(ls -A "$work/niix")" ]] && t_niix=0
    niix+=("$t_niix")
    sync
  done
  for ((i = 0; i < runs; i++)); do
    reads+=("$(/usr/bin/time -f "%e" bash -c "find '$dir' -type f -exec cat {} + > /dev/null" 2>&1 | tail -1)")
  done
  vol_mb=$(/usr/bin/python3 -c "
import json,sys
s=json.load(open(sys.argv[1]))[0]; d=s['dims']; b={'uint8':1,'int16':2,'uint16':2,'int32':4,'uint32':4,'float32':4}[s['pixel_type']]*s.get('components',1)
print('%.1f' % (d[0]*d[1]*d[2]*s['time_points']*b/1e6))" "$work/volume.json")
  o=$(median "${ours[@]}"); n=$(median "${niix[@]}"); r=$(median "${reads[@]}")
  awk -v s="$name" -v f="$files" -v o="$o" -v m="$rss_kb" -v n="$n" -v r="$r" -v v="$vol_mb" 'BEGIN {
    printf "%-8s %6d %9.2f %9.1f %9.2f %9.2f %11.2f %9.1f\n", s, f, o, m/1024, n, r, (n > 0 ? o/n : 0), v }'
done
echo "(rss_MB: peak RSS of the volume command, target <= 1.2 x vol_MB + 100; dcm2niix 0.00: it cannot read that set)"
