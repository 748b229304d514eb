# Independent oracle for header tests: what pydicom (Debian's python3-pydicom) reads from each
# file given on the command line, one tab-separated line per file:
#   path, SOPInstanceUID, StudyInstanceUID, SeriesInstanceUID, Rows, Columns, PatientName
# or "path\tERROR\t<reason>" when pydicom cannot read the file.
import sys
import pydicom


def text(ds, keyword):
    value = ds.get(keyword, "")
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ").rstrip(" \0")


for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True, stop_before_pixels=True)
        ds.decode()
        sop = text(ds, "SOPInstanceUID")
        if not sop and hasattr(ds, "file_meta"):
            sop = text(ds.file_meta, "MediaStorageSOPInstanceUID")
        print("\t".join([path, sop, text(ds, "StudyInstanceUID"), text(ds, "SeriesInstanceUID"),
                         text(ds, "Rows"), text(ds, "Columns"), text(ds, "PatientName")]))
    except Exception as error:  # the oracle reports, the test decides
        print(path + "\tERROR\t" + str(error).replace("\t", " ").replace("\n", " "))
