#!/usr/bin/env bash
# full_disk_import.sh CLI SERIES_DIR FROM_KB TO_KB STEP_KB
# Imports SERIES_DIR into a fresh cache on a tmpfs of each size in turn (a real full disk,
# in a private mount namespace: nothing outside this script sees it), and prints per size:
#   SIZE_KB EXIT_CODE FILES_IN_STORE CHECK_EXIT_CODE
# followed, when the import failed, by its error line.
set -u
cli=$1 series=$2 from=$3 to=$4 step=$5
# As root a mount namespace is enough; otherwise a user namespace makes us root inside it.
if [[ $(id -u) == 0 ]]; then ns=(unshare -m); else ns=(unshare -rm); fi
for ((kb = from; kb <= to; kb += step)); do
  mnt=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-fulldisk.XXXXXX")
  "${ns[@]}" bash -c '
    mount -t tmpfs -o size='"$kb"'k tmpfs "$1" || exit 90
    "$2" --cache "$1/cache" import "$3" >/dev/null 2>"$1/err"; rc=$?
    files=$(find "$1/cache/store" -type f | wc -l)
    "$2" --cache "$1/cache" check >/dev/null 2>&1; check=$?
    echo "'"$kb"' $rc $files $check"
    [[ $rc != 0 ]] && head -n 1 "$1/err"
  ' _ "$mnt" "$cli" "$series"
  rmdir "$mnt"
done
