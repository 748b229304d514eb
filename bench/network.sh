#!/usr/bin/env bash
# bench/network.sh [BUILD_DIR]: our DICOM network operations against a real Orthanc, with
# dcmtk's tools timed in the same run on the same archive (every process with TCP_NODELAY=1):
#   C-FIND by PatientID (findscu), C-FIND of every study (findscu), C-GET of the CT series
#   (getscu), C-MOVE of it (movescu), the first instance in the cache after a retrieve starts,
#   and our storage SCP receiving the 10,000-file set from storescu (peer: storescp -od).
# Ours runs in-process (bench/network_bench: no process start); the dcmtk tools' times
# include theirs, as the targets in the issue assume. Orthanc is loaded with storescu first
# (the 10,000 files take ~35 s). LB_BENCH_SMOKE=1 uses tests/data (CI smoke).
source "$(dirname "$0")/common.sh"
export TCP_NODELAY=1

if [[ "${LB_BENCH_SMOKE:-0}" == 1 ]]; then
  # The shared series only: tests/data/derived holds copies that reuse SOP Instance UIDs with
  # other bytes (an implicit-VR re-encoding), which an archive rightly treats as conflicts.
  many="$work/many"
  mkdir -p "$many"
  for folder in "$root"/tests/data/*/; do
    [[ "$(basename "$folder")" == derived ]] || cp -r "$folder" "$many/"
  done
  series="$root/tests/data/mr_ge_pioneer_t1_mprage_3d"
else
  if [[ ! -d "$data/many" || ! -d "$data/ct" ]]; then
    echo "generating the benchmark dataset into $data (once, ~25 s)"
    /usr/bin/python3 "$here/make_bench_data.py" "$data" --only ct,many
  fi
  many="$data/many"
  series="$data/ct"
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
seconds_of() { /usr/bin/time -f "%e" bash -c "$1" 2>&1 >/dev/null | tail -1; }
# Every timed run starts with nothing dirty in the page cache: our retrieves make their data
# durable with syncfs, which would otherwise also pay for the write-back of what the previous
# tool (or run) left behind.
median_of() { local t=(); for ((i = 0; i < runs; i++)); do sync; t+=("$(seconds_of "$1")"); done; median "${t[@]}"; }
# DICOM instances under a folder (Part 10, not a DICOMDIR), one per line.
instances_under() {
  /usr/bin/python3 - "$1" <<'PY'
import os, sys
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(root, name)
        with open(path, "rb") as f:
            head = f.read(700)
        if head[128:132] == b"DICM" and b"1.2.840.10008.1.3.10" not in head:
            print(path)
PY
}

dicom_port=$(free_port); http_port=$(free_port); our_port=$(free_port)
cat > "$work/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$work/orthanc/storage", "IndexDirectory": "$work/orthanc/index",
  "HttpPort": $http_port, "DicomPort": $dicom_port, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": [], "DicomAlwaysAllowStore": false, "StorageCompression": false,
  "DicomModalities": { "lightbox": ["LIGHTBOX", "127.0.0.1", $our_port] } }
JSON
Orthanc "$work/orthanc.json" > "$work/orthanc.log" 2>&1 &
orthanc_pid=$!
disown "$orthanc_pid"
trap 'kill -9 $orthanc_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$http_port/system" && break; sleep 0.05; done

instances_under "$many" > "$work/many.txt"
instances_under "$series" > "$work/series.txt"
load_s=$(seconds_of "xargs -a '$work/many.txt' storescu -R -aet LIGHTBOX -aec ORTHANC 127.0.0.1 $dicom_port")
xargs -a "$work/series.txt" storescu -R -aet LIGHTBOX -aec ORTHANC 127.0.0.1 "$dicom_port" >/dev/null 2>&1
echo "Orthanc loaded: $(curl -s "http://127.0.0.1:$http_port/statistics" | tr -d ' \n') (storescu of $(wc -l < "$work/many.txt") files: ${load_s}s)"

bench_cache="$work/bench/cache"
"$cli" --cache "$bench_cache" nodes add orthanc --ae ORTHANC --host 127.0.0.1 --port "$dicom_port" >/dev/null
"$cli" --cache "$bench_cache" settings set storage-port "$our_port" >/dev/null
read -r patient_id study_uid < <("$cli" --cache "$bench_cache" --json find orthanc | /usr/bin/python3 -c '
import json, sys
studies = json.load(sys.stdin)
big = max(studies, key=lambda s: s["num_instances"] or 0)
small = min(studies, key=lambda s: s["num_instances"] or 0)
print(small["patient_id"], big["study_uid"])')

# findscu asks for the same return keys as `lightbox-cli find` at study level (the counts cost
# the archive most).
keys="-k StudyInstanceUID -k PatientName -k PatientBirthDate -k PatientSex -k StudyDate -k StudyTime -k AccessionNumber -k StudyID -k StudyDescription -k ReferringPhysicianName -k ModalitiesInStudy -k NumberOfStudyRelatedSeries -k NumberOfStudyRelatedInstances"
findscu_patient=$(median_of "findscu -S -aet LIGHTBOX -aec ORTHANC -k QueryRetrieveLevel=STUDY -k PatientID='$patient_id' $keys 127.0.0.1 $dicom_port")
findscu_all=$(median_of "findscu -S -aet LIGHTBOX -aec ORTHANC -k QueryRetrieveLevel=STUDY -k PatientID $keys 127.0.0.1 $dicom_port")
getscu_s=$(median_of "d=\$(mktemp -d '$work/get.XXXX'); getscu -S -aet LIGHTBOX -aec ORTHANC -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$study_uid -od \$d 127.0.0.1 $dicom_port")
movescu_s=$(median_of "d=\$(mktemp -d '$work/move.XXXX'); movescu -S -aet LIGHTBOX -aec ORTHANC --port $our_port -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$study_uid -od \$d 127.0.0.1 $dicom_port")

"$build/bench/network_bench" "$bench_cache" orthanc "$patient_id" "$study_uid" "$runs" > "$work/ours.txt"
ours() { awk -v k="$1" '$1 == k {print $2}' "$work/ours.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Storage SCP: storescu pushes the small-file set to storescp, then to `lightbox-cli listen`
# (indexing into a fresh cache; timed until it has flushed and exited).
scp_port=$(free_port)
mkdir -p "$work/storescp"
storescp -aet LIGHTBOX -od "$work/storescp" "$scp_port" >/dev/null 2>&1 &
storescp_pid=$!
sleep 0.3
storescp_s=$(seconds_of "xargs -a '$work/many.txt' storescu -R -aet STORESCU -aec LIGHTBOX 127.0.0.1 $scp_port")
kill $storescp_pid; wait $storescp_pid 2>/dev/null || true
listen_cache="$work/listen/cache"
"$cli" --cache "$listen_cache" nodes add sender --ae STORESCU --host 127.0.0.1 --port 104 >/dev/null
"$cli" --cache "$listen_cache" settings set storage-port "$scp_port" >/dev/null
"$cli" --cache "$listen_cache" listen >/dev/null 2>"$work/listen.log" &
listen_pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$scp_port) 2>/dev/null && break; sleep 0.05; done
start=$(date +%s.%N)
xargs -a "$work/many.txt" storescu -R -aet STORESCU -aec LIGHTBOX 127.0.0.1 "$scp_port" >/dev/null 2>&1
kill -INT $listen_pid; wait $listen_pid
listen_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
received=$("$cli" --cache "$listen_cache" --json studies --limit 100000 | /usr/bin/python3 -c 'import json,sys; print(sum(s["num_instances"] for s in json.load(sys.stdin)))')
files=$(wc -l < "$work/many.txt")

# DICOM TLS: a second Orthanc with DicomTlsEnabled holding the same series (certificates made
# here with openssl); dcmtk's getscu has no TLS, so the peer is our own plain C-GET, timed the
# same way (lightbox-cli retrieve into a fresh cache, process start included) in this run.
pki="$work/pki"; mkdir -p "$pki"
(
  cd "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=Bench CA" 2>/dev/null
  for name in orthanc lightbox; do
    openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj "/CN=$name" 2>/dev/null
    printf "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n" > $name.ext
    openssl x509 -req -in $name.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $name.crt -days 1 -extfile $name.ext 2>/dev/null
  done
)
tls_dicom_port=$(free_port); tls_http_port=$(free_port)
cat > "$work/orthanc-tls.json" <<JSON
{ "Name": "bench-tls", "StorageDirectory": "$work/orthanc-tls/storage", "IndexDirectory": "$work/orthanc-tls/index",
  "HttpPort": $tls_http_port, "DicomPort": $tls_dicom_port, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": [], "DicomAlwaysAllowStore": false, "StorageCompression": false,
  "DicomTlsEnabled": true, "DicomTlsCertificate": "$pki/orthanc.crt", "DicomTlsPrivateKey": "$pki/orthanc.key",
  "DicomTlsTrustedCertificates": "$pki/ca.crt", "DicomTlsRemoteCertificateRequired": true,
  "DicomModalities": { "lightbox": ["LIGHTBOX", "127.0.0.1", $our_port] } }
JSON
Orthanc "$work/orthanc-tls.json" > "$work/orthanc-tls.log" 2>&1 &
orthanc_tls_pid=$!
disown "$orthanc_tls_pid"
trap 'kill -9 $orthanc_pid $orthanc_tls_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$tls_http_port/system" && break; sleep 0.05; done
xargs -a "$work/series.txt" storescu -R +tls "$pki/lightbox.key" "$pki/lightbox.crt" +cf "$pki/ca.crt" \
  -aet LIGHTBOX -aec ORTHANC 127.0.0.1 "$tls_dicom_port" >/dev/null 2>&1
# Median of $runs C-GETs of the CT, each into a fresh cache set up untimed: NODE_FLAGS PORT.
median_get() {
  local t=() c
  for ((i = 0; i < runs; i++)); do
    c=$(mktemp -d "$work/tlsget.XXXX")
    "$cli" --cache "$c/cache" settings set tls-cert "$pki/lightbox.crt" >/dev/null
    "$cli" --cache "$c/cache" settings set tls-key "$pki/lightbox.key" >/dev/null
    "$cli" --cache "$c/cache" nodes add pacs --ae ORTHANC --host 127.0.0.1 --port "$2" --method get $1 >/dev/null
    sync
    t+=("$(seconds_of "'$cli' --cache '$c/cache' retrieve pacs --study $series_study")")
    rm -rf "$c"
  done
  median "${t[@]}"
}
series_study=$(/usr/bin/python3 -c 'import sys, pydicom; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).StudyInstanceUID)' "$(head -1 "$work/series.txt")")
tls_get_s=$(median_get "--tls --ca $pki/ca.crt" "$tls_dicom_port")
plain_get_s=$(median_get "" "$dicom_port")

printf "%-28s %9s %9s %9s %s\n" operation ours_s peer_s ours/peer "peer (target)"
printf "%-28s %9s %9s %9s %s\n" "C-FIND by PatientID" "$(ours find_patient)" "$findscu_patient" "$(ratio "$(ours find_patient)" "$findscu_patient")" "findscu (<= 0.5)"
printf "%-28s %9s %9s %9s %s\n" "C-FIND all $(ours find_all_matches) studies" "$(ours find_all)" "$findscu_all" "$(ratio "$(ours find_all)" "$findscu_all")" "findscu (<= 0.5)"
printf "%-28s %9s %9s %9s %s\n" "C-GET $(wc -l < "$work/series.txt") images" "$(ours get)" "$getscu_s" "$(ratio "$(ours get)" "$getscu_s")" "getscu (<= 1.0)"
printf "%-28s %9s %9s %9s %s\n" "C-MOVE $(wc -l < "$work/series.txt") images" "$(ours move)" "$movescu_s" "$(ratio "$(ours move)" "$movescu_s")" "movescu (<= 1.0)"
printf "%-28s %9s %9s %9s %s\n" "first instance in cache" "$(ours get_first)" "-" "-" "C-GET start -> indexed (<= 0.150)"
printf "%-28s %9s %9s %9s %s\n" "storage SCP, $files files" "$listen_s" "$storescp_s" "$(ratio "$storescp_s" "$listen_s")" "rate ours/storescp (>= 0.8), $received indexed"
printf "%-28s %9s %9s %9s %s\n" "C-GET $(wc -l < "$work/series.txt") images, TLS" "$tls_get_s" "$plain_get_s" "$(ratio "$tls_get_s" "$plain_get_s")" "our plain C-GET, same run (<= 1.3)"
