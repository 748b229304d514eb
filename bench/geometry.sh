#!/usr/bin/env bash
# bench/geometry.sh [BUILD_DIR]: a tilted and a variable-increment CT (tests/data/derived, 28
# slices of 512x512) put on a regular grid. Ours: `lightbox-cli volume DIR --resampled` (load +
# ITK resampling; also without --resampled, to show the resampling's own share). Peer: dcm2niix
# -z n -b n on the same files, which writes its tilt-corrected / equalized volume (load +
# resampling + writing the NIfTI). Process start to exit, warm page cache, median of
# $LB_BENCH_RUNS (default 3).
source "$(dirname "$0")/common.sh"

sets=("tilt:$root/tests/data/derived/ct_tilt_18p5" "variable:$root/tests/data/derived/ct_variable_increment")
printf "%-9s %9s %12s %11s %12s %9s\n" set load_s resampled_s grid_dims dcm2niix_s ours/niix
for entry in "${sets[@]}"; do
  name=${entry%%:*}
  dir=${entry#*:}
  find "$dir" -type f -exec cat {} + > /dev/null
  loads=() ours=() niix=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$work/t" -f "%e" "$cli" volume "$dir" >/dev/null 2>&1
    loads+=("$(cat "$work/t")")
  done
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$work/t" -f "%e" "$cli" --json volume "$dir" --resampled >"$work/grid.json" 2>/dev/null
    ours+=("$(cat "$work/t")")
  done
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/niix" && mkdir -p "$work/niix"
    /usr/bin/time -o "$work/t" -f "%e" dcm2niix -z n -b n -o "$work/niix" "$dir" >/dev/null 2>&1 || echo 0 > "$work/t"
    niix+=("$(cat "$work/t")")
  done
  dims=$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1]))[0]['dims']; print('x'.join(str(v) for v in d))" "$work/grid.json")
  l=$(median "${loads[@]}"); o=$(median "${ours[@]}"); n=$(median "${niix[@]}")
  awk -v s="$name" -v l="$l" -v o="$o" -v d="$dims" -v n="$n" 'BEGIN {
    printf "%-9s %9.2f %12.2f %11s %12.2f %9.2f\n", s, l, o, d, n, (n > 0 ? o/n : 0) }'
done
