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

NATIVE_OR_RLE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
                 "1.2.840.10008.1.2.5"}


def print_colour(path, ds):
    """Colour: RGB (YBR converted by pydicom's own BT.601 code), one line
    path COLOUR|COLOUR_LOSSY frames rows columns mean_r mean_g mean_b  (lossy: JPEG family)."""
    from pydicom.pixel_data_handlers.util import convert_color_space
    array = ds.pixel_array.astype(numpy.float64)
    syntax = str(ds.file_meta.TransferSyntaxUID)
    photometric = str(ds.PhotometricInterpretation)
    if syntax in NATIVE_OR_RLE and photometric.startswith("YBR_FULL"):
        array = convert_color_space(ds.pixel_array, photometric, "RGB").astype(numpy.float64)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    kind = "COLOUR" if syntax in NATIVE_OR_RLE else "COLOUR_LOSSY"
    means = [repr(float(array[..., c].mean())) for c in range(3)]
    print("\t".join([path, kind, str(frames), str(ds.Rows), str(ds.Columns)] + means))
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True)
        if "PixelData" not in ds:
            print(path + "\tSKIP\tno pixel data")
            continue
        if int(ds.get("SamplesPerPixel", 1)) != 1:
            print_colour(path, ds)
            continue
        array = ds.pixel_array
        values = apply_modality_lut(array, ds).astype(numpy.float64)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        print("\t".join([path, "OK", str(frames), str(ds.Rows), str(ds.Columns), repr(float(values.min())),
                         repr(float(values.max())), repr(float(values.sum()))]))
    except Exception as error:
        print(path + "\tSKIP\t" + str(error).replace("\t", " ").replace("\n", " "))
