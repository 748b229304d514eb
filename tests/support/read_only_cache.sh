#!/usr/bin/env bash
# read_only_cache.sh CACHE COMMAND...: runs COMMAND with CACHE mounted read-only (a bind mount
# in a private mount namespace: a real EROFS, which even root cannot write through).
set -u
cache=$1
shift
if [[ $(id -u) == 0 ]]; then ns=(unshare -m); else ns=(unshare -rm); fi
exec "${ns[@]}" bash -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 90; shift; exec "$@"' _ "$cache" "$@"
