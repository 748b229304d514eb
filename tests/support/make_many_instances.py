# Writes COUNT distinct, valid DICOM files into OUTDIR by copying one real file (pydicom's
# CT_small.dcm) and rewriting its Study, Series and SOP Instance UIDs in place with UIDs of the
# same length, so every element length stays valid. PER_SERIES (default 5) instances per series,
# one series per study. Fast (no DICOM re-encoding): thousands of files per second.
import os
import sys

import pydicom
import pydicom.data

count = int(sys.argv[2])
per_series = int(sys.argv[3]) if len(sys.argv) > 3 else 5
out = sys.argv[1]
source = pydicom.data.get_testdata_file("CT_small.dcm")
ds = pydicom.dcmread(source)
raw = open(source, "rb").read()


def variant(uid, number):
    digits = str(number)
    head = uid[: len(uid) - len(digits) - 1]
    return (head + "9" + digits)[: len(uid)]


uids = {
    "sop": [ds.SOPInstanceUID, ds.file_meta.MediaStorageSOPInstanceUID],
    "series": [ds.SeriesInstanceUID],
    "study": [ds.StudyInstanceUID],
}
os.makedirs(out, exist_ok=True)
for i in range(count):
    data = raw
    for uid in uids["sop"]:
        data = data.replace(uid.encode(), variant(uid, 10**7 + i).encode())
    for uid in uids["series"]:
        data = data.replace(uid.encode(), variant(uid, 10**7 + i // per_series).encode())
    for uid in uids["study"]:
        data = data.replace(uid.encode(), variant(uid, 10**7 + i // per_series).encode())
    folder = os.path.join(out, "s%04d" % (i // 500))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "im%06d.dcm" % i), "wb") as f:
        f.write(data)
