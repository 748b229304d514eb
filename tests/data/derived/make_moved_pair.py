#!/usr/bin/python3
"""A moved copy of a real series, for registration tests and benchmarks (made at test time).

    /usr/bin/python3 tests/data/derived/make_moved_pair.py SOURCE_FOLDER OUT_FOLDER
        [--rotate 8,-5,6] [--translate 20,-15,10] [--drop 15] [--crop 10,6,8,12]
        [--noise 0.02] [--seed 1] [--skip 0] [--subsample 1]

The copy is the same patient in another study, moved by a known rigid transform, on another
voxel grid, so that matching voxel indices (or patient coordinates) is wrong and only a real
registration finds the transform:
  - every point p of the source (LPS mm) is at  p' = R (p - c) + c + t  in the copy, where R
    rotates by --rotate degrees about x, then y, then z (LPS axes: R = Rz Ry Rx), c is the
    centre of the source volume and t is --translate (mm): ImagePositionPatient and
    ImageOrientationPatient are moved so;
  - the first --skip and the last --drop slices (along the slice normal) are left out;
  - with --subsample N only every Nth row and column is kept (from the first), PixelSpacing
    times N, as make_reading_studies.py makes its small studies (before the crop, which then
    counts subsampled rows and columns);
  - --crop TOP,BOTTOM,LEFT,RIGHT rows and columns are cut off each slice (ImagePositionPatient
    follows the first pixel kept);
  - Gaussian noise of --noise x (99th - 1st percentile of the stored values), from a numpy
    Generator seeded with --seed, is added to the stored values (clipped to their type);
  - new Study, Series, SOP Instance and Frame of Reference UIDs (derived from the source's and
    the seed, so two runs write the same files), StudyDate 400 days earlier, SliceLocation
    removed, DerivationDescription saying all this; written as explicit VR little endian.
OUT_FOLDER/transform.json holds "moving_to_fixed": the row-major 4x4 matrix that maps a point of
the copy (moving) to the source (fixed): p = R^T (p' - c - t) + c, with the parameters.
Only single-frame images with ImagePositionPatient/ImageOrientationPatient are supported.
Needs Debian's python3-pydicom and python3-numpy (run with /usr/bin/python3).
"""
import argparse
import datetime
import json
import math
import os

import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def rotation(degrees):
    ax, ay, az = (math.radians(d) for d in degrees)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def read_series(folder):
    """The single-frame images of the folder with patient geometry, sorted along the normal."""
    slices = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if "PixelData" not in ds or "ImagePositionPatient" not in ds or "ImageOrientationPatient" not in ds:
            continue
        slices.append(ds)
    if len(slices) < 4:
        raise SystemExit("%s: fewer than 4 images with patient geometry" % folder)
    iop = np.array([float(v) for v in slices[0].ImageOrientationPatient])
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda ds: float(np.dot(normal, [float(v) for v in ds.ImagePositionPatient])))
    return slices


def volume_centre(slices):
    """The centre of the source volume: the middle of its first and last slices' centres."""
    centres = []
    for ds in (slices[0], slices[-1]):
        iop = np.array([float(v) for v in ds.ImageOrientationPatient])
        ipp = np.array([float(v) for v in ds.ImagePositionPatient])
        dr, dc = (float(v) for v in ds.PixelSpacing)
        centres.append(ipp + iop[:3] * dc * (ds.Columns - 1) / 2 + iop[3:] * dr * (ds.Rows - 1) / 2)
    return (centres[0] + centres[1]) / 2


def earlier(date, days=400):
    try:
        day = datetime.datetime.strptime(date, "%Y%m%d")
    except (TypeError, ValueError):
        return "20200101"
    return (day - datetime.timedelta(days=days)).strftime("%Y%m%d")


def moved_slice(ds, args, rot, centre, translation, uids, noise_sigma, generator):
    top, bottom, left, right = args.crop
    pixels = ds.pixel_array
    dtype = pixels.dtype
    if args.subsample > 1:
        pixels = pixels[:: args.subsample, :: args.subsample]
        ds.PixelSpacing = ["%.6f" % (float(v) * args.subsample) for v in ds.PixelSpacing]
        ds.Rows, ds.Columns = pixels.shape
    pixels = pixels[top:pixels.shape[0] - bottom, left:pixels.shape[1] - right].astype(np.float64)
    if noise_sigma > 0:
        pixels = pixels + generator.normal(0.0, noise_sigma, pixels.shape)
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else np.finfo(dtype)
    pixels = np.clip(np.rint(pixels), info.min, info.max).astype(dtype)

    iop = np.array([float(v) for v in ds.ImageOrientationPatient])
    ipp = np.array([float(v) for v in ds.ImagePositionPatient])
    dr, dc = (float(v) for v in ds.PixelSpacing)
    first = ipp + iop[:3] * dc * left + iop[3:] * dr * top  # the first pixel kept
    ds.ImagePositionPatient = ["%.6f" % v for v in rot @ (first - centre) + centre + translation]
    ds.ImageOrientationPatient = ["%.10f" % v for v in np.concatenate([rot @ iop[:3], rot @ iop[3:]])]
    ds.Rows, ds.Columns = pixels.shape
    ds.PixelData = pixels.tobytes()
    if "SliceLocation" in ds:
        del ds.SliceLocation
    for keyword in ("SmallestImagePixelValue", "LargestImagePixelValue"):
        if keyword in ds:
            delattr(ds, keyword)

    seed = str(args.seed)
    sop = generate_uid(entropy_srcs=[ds.SOPInstanceUID, "moved", seed])
    ds.SOPInstanceUID = sop
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = uids
    for keyword in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"):
        if keyword in ds:
            setattr(ds, keyword, earlier(getattr(ds, keyword)))
    if "StudyDate" not in ds:
        ds.StudyDate = "20200101"
    ds.DerivationDescription = ("Moved copy for registration tests: rotated %s deg, translated %s mm, "
                                "%d slices skipped, %d dropped, subsampled %d, cropped %s, noise %.3g" % (
                                    ",".join("%g" % v for v in args.rotate), ",".join("%g" % v for v in args.translate),
                                    args.skip, args.drop, args.subsample, ",".join(str(v) for v in args.crop), noise_sigma))[:1024]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source")
    parser.add_argument("out")
    numbers = lambda text: [float(v) for v in text.split(",")]
    parser.add_argument("--rotate", type=numbers, default=[8, -5, 6])
    parser.add_argument("--translate", type=numbers, default=[20, -15, 10])
    parser.add_argument("--drop", type=int, default=15)
    parser.add_argument("--crop", type=lambda text: [int(v) for v in text.split(",")], default=[10, 6, 8, 12])
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--subsample", type=int, default=1)
    args = parser.parse_args()
    if len(args.rotate) != 3 or len(args.translate) != 3 or len(args.crop) != 4:
        parser.error("--rotate and --translate take 3 numbers, --crop 4")

    slices = read_series(args.source)
    if args.skip < 0 or args.drop < 0 or args.subsample < 1:
        parser.error("--skip and --drop take 0 or more, --subsample 1 or more")
    if args.skip + args.drop >= len(slices) - 3:
        parser.error("--skip %d and --drop %d leave fewer than 4 of %d slices" % (args.skip, args.drop, len(slices)))
    rot = rotation(args.rotate)
    centre = volume_centre(slices)
    translation = np.array(args.translate, dtype=np.float64)
    sample = np.concatenate([s.pixel_array.ravel()[::97] for s in slices[:: max(1, len(slices) // 20)]])
    noise_sigma = args.noise * float(np.percentile(sample, 99) - np.percentile(sample, 1))
    generator = np.random.default_rng(args.seed)
    first = slices[0]
    uids = tuple(generate_uid(entropy_srcs=[getattr(first, k, ""), "moved", str(args.seed)])
                 for k in ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"))

    os.makedirs(args.out, exist_ok=True)
    kept = slices[args.skip: len(slices) - args.drop]
    for index, ds in enumerate(kept):
        moved_slice(ds, args, rot, centre, translation, uids, noise_sigma, generator)
        ds.save_as(os.path.join(args.out, "IM%04d.dcm" % index), write_like_original=False)

    # moving -> fixed: p = R^T (p' - c - t) + c
    matrix = np.eye(4)
    matrix[:3, :3] = rot.T
    matrix[:3, 3] = centre - rot.T @ (centre + translation)
    with open(os.path.join(args.out, "transform.json"), "w") as out:
        json.dump({"moving_to_fixed": [float(v) for v in matrix.ravel()],
                   "rotate_degrees": args.rotate, "translate_mm": args.translate,
                   "rotation_centre": [float(v) for v in centre], "dropped_slices": args.drop,
                   "skipped_slices": args.skip, "subsample": args.subsample,
                   "crop_top_bottom_left_right": args.crop, "noise_sigma": noise_sigma, "seed": args.seed,
                   "source": os.path.abspath(args.source), "slices": len(kept)}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
