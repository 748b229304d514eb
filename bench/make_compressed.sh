#!/usr/bin/env bash
# bench/make_compressed.sh DATA_DIR: lossless copies of DATA_DIR/ct (bench/make_bench_data.py)
# for bench/load.sh, file for file, with Debian's command-line tools:
#   DATA_DIR/ct_jls  JPEG-LS lossless (dcmtk dcmcjpls)           ~3:1
#   DATA_DIR/ct_j2k  JPEG 2000 lossless (libgdcm-tools gdcmconv)  ~3:1
# A copy that exists is left alone: each is written to <name>.partial and renamed when whole.
# Uses every core (xargs -P); ~1 min on 2 cores.
set -euo pipefail
[[ $# == 1 ]] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
data=$(cd "$1" && pwd)
[[ -d "$data/ct" ]] || { echo "$0: no $data/ct (run bench/make_bench_data.py first)" >&2; exit 1; }
jobs=$(nproc)

# compress NAME TOOL [ARGS...]: runs `TOOL ARGS... IN OUT` on every file of ct/ into NAME/.
compress() {
  local name=$1
  shift
  local out="$data/$name"
  if [[ -d "$out" ]]; then
    echo "$name: already there"
    return
  fi
  rm -rf "$out.partial" && mkdir "$out.partial"
  local start=$SECONDS
  (cd "$data/ct" && find . -maxdepth 1 -type f -name '*.dcm' -printf '%f\n' | sort |
    xargs -P "$jobs" -I{} "$@" {} "$out.partial/{}")
  local want got
  want=$(find "$data/ct" -maxdepth 1 -type f -name '*.dcm' | wc -l)
  got=$(find "$out.partial" -type f | wc -l)
  [[ "$got" == "$want" ]] || { echo "$name: $got of $want files written" >&2; exit 1; }
  mv "$out.partial" "$out"
  echo "$name: $got files in $((SECONDS - start)) s"
}

compress ct_jls dcmcjpls --encode-lossless
compress ct_j2k gdcmconv --j2k

raw=$(du -sb "$data/ct" | cut -f1)
for name in ct ct_jls ct_j2k; do
  bytes=$(du -sb "$data/$name" | cut -f1)
  first=$(find "$data/$name" -type f -name '*.dcm' | sort | head -1)
  syntax=$(dcmdump -q -s +P TransferSyntaxUID "$first" | awk '{ sub(/^=/, "", $3); print $3 }')
  awk -v n="$name" -v b="$bytes" -v r="$raw" -v s="$syntax" \
    'BEGIN { printf "%-7s %12d bytes  ratio %.2f  %s\n", n, b, r / b, s }'
done
