# Independent oracle for pixel values: pydicom 2.3 (with python3-gdcm for compressed data)
# reads each file; one tab-separated line per file:
#   path  OK  frames  rows  columns  min  max  sum      (modality values, all frames)
#   path  SKIP  reason                                   (not decodable by pydicom, or colour)
import sys
import warnings

import numpy
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

warnings.simplefilter("ignore")
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True)
        if "PixelData" not in ds:
            print(path + "\tSKIP\tno pixel data")
            continue
        if int(ds.get("SamplesPerPixel", 1)) != 1:
            print(path + "\tSKIP\tcolour")
            continue
        array = ds.pixel_array
        values = apply_modality_lut(array, ds).astype(numpy.float64)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        print("\t".join([path, "OK", str(frames), str(ds.Rows), str(ds.Columns), repr(float(values.min())),
                         repr(float(values.max())), repr(float(values.sum()))]))
    except Exception as error:
        print(path + "\tSKIP\t" + str(error).replace("\t", " ").replace("\n", " "))
