#!/usr/bin/python3
"""Lightbox's benchmark dataset: synthetic, deterministic DICOM series for bench/*.sh.

    /usr/bin/python3 bench/make_bench_data.py OUTDIR [--only ct,mr,many]

Parts (each written to OUTDIR/<part>.partial, then renamed, so a folder that exists is whole):
  ct/    CT Image Storage, 1 study, 1 series, 400 axial slices of 512x512 int16,
         0.7 x 0.7 mm pixels, 1.0 mm apart, explicit VR little endian; a torso phantom in HU
         (fat, muscle, lungs with vessels, heart, liver, kidneys, spine, ribs, aorta, table)
  mr/    MR Image Storage, 1 study, 1 series, 180 axial slices of 256x256 uint16, 1 mm
         isotropic; a T1-weighted head phantom with a bias field and Rician noise
  many/  2,000 small CT studies (500 patients x 4), 1 series x 5 images of 64x64 int16 each
         (10,000 files), in many/P<patient>/S<study>/
  manifest.txt  one line per part: files, bytes, UIDs, seconds to generate

Every UID is a 2.25 UUID-5 derived from a fixed name, and every random draw comes from a
seeded numpy Generator, so two runs write the same files. The phantoms carry smooth texture
and scanner-like noise, so lossless JPEG-LS / JPEG 2000 ratios are those of real images
(about 3:1 for the CT), not of flat shapes. Needs only Debian's python3-numpy and
python3-pydicom (2.3).
"""
import argparse
import os
import shutil
import time
import uuid
from dataclasses import dataclass

import numpy as np
from pydicom.dataelem import DataElement
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

GENERATOR_VERSION = "1"
CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "lightbox/bench/make_bench_data/v" + GENERATOR_VERSION)


def make_uid(*names):
    """A UID of the form 2.25.<uuid as integer> (PS3.5 B.2), fixed for a given name."""
    return "2.25.%d" % uuid.uuid5(_UID_NAMESPACE, "/".join(str(n) for n in names)).int


def ds_str(value):
    """A decimal string (DS) of at most 16 characters."""
    text = "%.6g" % value
    return "0" if text == "-0" else text


# ------------------------------------------------------------------ headers


@dataclass
class Patient:
    name: str
    id: str
    birth_date: str
    sex: str


@dataclass
class Study:
    uid: str
    date: str
    time: str
    id: str
    accession: str
    description: str


@dataclass
class Series:
    uid: str
    number: int
    description: str
    body_part: str
    frame_of_reference: str


def series_template(sop_class, modality, patient, study, series, rows, columns, signed):
    """A dataset carrying everything the images of one series share; write_image() fills in
    the rest per image."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = ""
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = make_uid("implementation")
    meta.ImplementationVersionName = "LB_BENCH_" + GENERATOR_VERSION
    ds = FileDataset("", {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = False

    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = sop_class
    ds.StudyDate = ds.SeriesDate = ds.AcquisitionDate = ds.ContentDate = study.date
    ds.StudyTime = ds.SeriesTime = ds.AcquisitionTime = ds.ContentTime = study.time
    ds.AccessionNumber = study.accession
    ds.Modality = modality
    ds.Manufacturer = "LIGHTBOX BENCH"
    ds.InstitutionName = "SYNTHETIC"
    ds.ReferringPhysicianName = "BENCH^REFERRER"
    ds.StationName = "LBBENCH"
    ds.StudyDescription = study.description
    ds.SeriesDescription = series.description
    ds.ManufacturerModelName = "PHANTOM"
    ds.PatientName = patient.name
    ds.PatientID = patient.id
    ds.PatientBirthDate = patient.birth_date
    ds.PatientSex = patient.sex
    ds.BodyPartExamined = series.body_part
    ds.SoftwareVersions = "make_bench_data " + GENERATOR_VERSION
    ds.PatientPosition = "HFS"
    ds.StudyInstanceUID = study.uid
    ds.SeriesInstanceUID = series.uid
    ds.StudyID = study.id
    ds.SeriesNumber = series.number
    ds.AcquisitionNumber = 1
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = series.frame_of_reference
    ds.PositionReferenceIndicator = ""
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1 if signed else 0
    ds.add(DataElement(0x7FE00010, "OW", b""))
    return ds


def write_image(ds, path, number, position, pixels):
    """Writes one image of the series `ds` describes: instance `number` (1-based), top left
    pixel centre at `position` (mm), `pixels` a (rows, columns) array of the stored type."""
    sop_uid = make_uid(ds.SeriesInstanceUID, "image", number)
    ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
    ds.SOPInstanceUID = sop_uid
    ds.InstanceNumber = number
    ds.ImagePositionPatient = [ds_str(v) for v in position]
    ds.SliceLocation = ds_str(position[2])
    dtype = "<i2" if ds.PixelRepresentation else "<u2"
    assert pixels.shape == (ds.Rows, ds.Columns)
    ds["PixelData"].value = np.ascontiguousarray(pixels, dtype=dtype).tobytes()
    ds.save_as(path, write_like_original=False)


# ------------------------------------------------------------------ texture


def _blur_matrix(n_out, n_coarse, width):
    """(n_out, n_coarse) weights spreading n_coarse knots smoothly over n_out samples."""
    t = np.linspace(0.0, n_coarse - 1.0, n_out)[:, None]
    w = np.exp(-(((t - np.arange(n_coarse)[None, :]) / width) ** 2))
    return (w / w.sum(axis=1, keepdims=True)).astype(np.float32)


class SmoothField3D:
    """Band-limited random texture: random knots on a coarse (nz, ny, nx) grid, spread by
    Gaussian weights to the full matrix one slice at a time (two small matrix products).
    Values are roughly in [-1, 1]."""

    def __init__(self, rng, coarse, shape, slices):
        gz, gy, gx = coarse
        self.knots = rng.standard_normal(coarse).astype(np.float32)
        self.wz = _blur_matrix(slices, gz, 0.8)
        self.wy = _blur_matrix(shape[0], gy, 0.8)
        self.wx = _blur_matrix(shape[1], gx, 0.8).T.copy()
        # The blur shrinks the knots' spread; rescale so that 2 sigma ~ 1.
        probe = self.wy @ np.tensordot(self.wz[slices // 2], self.knots, axes=1) @ self.wx
        self.scale = np.float32(0.5 / (probe.std() + 1e-6))

    def slice(self, k):
        plane = np.tensordot(self.wz[k], self.knots, axes=1)
        return (self.wy @ plane @ self.wx) * self.scale


# ------------------------------------------------------------------ CT phantom


class TorsoPhantom:
    """HU images of a supine torso, pelvis (u = 0) to upper chest (u = 1), in patient mm
    (LPS: +x the patient's left, +y posterior)."""

    def __init__(self, rng, x, y, slices, thickness):
        self.x, self.y = x, y
        self.slices = slices
        self.thickness = thickness
        self.rng = rng
        self.coarse = SmoothField3D(rng, (12, 14, 18), x.shape, slices)   # organ texture
        self.fine = SmoothField3D(rng, (48, 96, 96), x.shape, slices)     # vessels, trabeculae

    def ellipse(self, cx, cy, ax, ay):
        return ((self.x - cx) / ax) ** 2 + ((self.y - cy) / ay) ** 2 <= 1.0

    def hu(self, k):
        u = k / max(1, self.slices - 1)
        z_mm = k * self.thickness
        soft = self.coarse.slice(k)
        fine = self.fine.slice(k)
        x, y = self.x, self.y
        img = np.full(x.shape, -1000.0, dtype=np.float32)

        # Body: skin and subcutaneous fat around muscle and viscera; wider at the chest.
        ax = 150.0 + 14.0 * u + 4.0 * np.sin(6.0 * u)
        ay = 108.0 + 6.0 * np.cos(3.0 * u)
        body = self.ellipse(0, 0, ax, ay)
        img[body] = -105.0 + 12.0 * soft[body]
        wall = self.ellipse(0, 2, ax - 12, ay - 10)
        img[wall] = 45.0 + 10.0 * soft[wall]
        cavity = self.ellipse(0, 4, ax - 24, ay - 20)
        img[cavity] = 30.0 + 14.0 * soft[cavity]   # bowel and mesenteric fat, averaged

        if u < 0.18:   # iliac wings and sacrum
            for side in (-1, 1):
                ilium = self.ellipse(side * 85, 30, 38, 14) & ~self.ellipse(side * 85, 30, 32, 9)
                img[ilium] = 650.0 + 120.0 * fine[ilium]
        if 0.12 < u < 0.36:   # kidneys: cortex and a darker pelvis
            for side in (-1, 1):
                kidney = self.ellipse(side * 72, 48, 24, 34)
                img[kidney] = 150.0 + 10.0 * soft[kidney]
                hilum = self.ellipse(side * 66, 48, 8, 14)
                img[hilum] = 15.0
        if 0.25 < u < 0.58:   # liver on the patient's right, spleen on the left
            liver = self.ellipse(-62, -4, 70, 62) & cavity
            img[liver] = 62.0 + 8.0 * soft[liver]
            spleen = self.ellipse(88, 30, 22, 34) & cavity
            img[spleen] = 50.0 + 8.0 * soft[spleen]
        if u > 0.55:   # thorax: lungs with vessels, heart in front
            grow = min(1.0, (u - 0.55) / 0.07)
            for side in (-1, 1):
                lung = self.ellipse(side * 62, 8, 50 * grow + 1, 78 * grow + 1) & cavity
                img[lung] = -860.0 + 35.0 * soft[lung]
                vessels = lung & (fine > 0.72)
                img[vessels] = -40.0 + 60.0 * fine[vessels]
            if u < 0.85:
                heart = self.ellipse(18, -28, 52 * grow + 1, 42 * grow + 1)
                img[heart] = 45.0 + 6.0 * soft[heart]
                chambers = self.ellipse(24, -24, 24 * grow + 1, 18 * grow + 1)
                img[chambers] = 170.0
            # ribs cross the slice where their oblique course meets it
            # (angle 0 = anterior, pi = the spine; none at the sternum or on the spine).
            for i in range(14):
                a = np.pi * (0.2 + 1.6 * i / 13.0)
                if abs(a - np.pi) > 0.3 and (z_mm + 9.0 * i) % 26.0 < 10.0:
                    rib = self.ellipse((ax - 17) * np.sin(a), -(ay - 15) * np.cos(a) + 4, 7, 6)
                    img[rib] = 750.0 + 150.0 * fine[rib]

        # Great vessels (contrast) and the spine, every level.
        img[self.ellipse(14, 38, 11, 11)] = 210.0   # aorta
        img[self.ellipse(-18, 36, 10, 12)] = 120.0  # vena cava
        disc = (z_mm % 30.0) < 6.0
        body_v = self.ellipse(0, 68, 21, 18)
        if disc:
            img[body_v] = 85.0
        else:
            img[body_v] = 680.0   # cortex
            inner = self.ellipse(0, 68, 17, 14)
            img[inner] = 260.0 + 90.0 * fine[inner]
            arch = self.ellipse(0, 98, 16, 8) | self.ellipse(0, 115, 5, 14)
            img[arch] = 520.0 + 90.0 * fine[arch]
        canal = self.ellipse(0, 92, 8, 7)
        img[canal] = 20.0

        # Carbon-fibre table under the patient (sagging a little at the edges).
        table = (np.abs(y - (ay + 18.0 - 0.0012 * x * x)) < 3.0) & (np.abs(x) < 170.0)
        img[table] = 180.0

        img += self.rng.normal(0.0, 11.0, img.shape).astype(np.float32)
        return img


def write_ct(root, slices):
    n, spacing, thickness = 512, 0.7, 1.0
    rng = np.random.default_rng(20240601)
    first = -(n - 1) * spacing / 2.0
    axis = first + spacing * np.arange(n, dtype=np.float32)
    y, x = np.meshgrid(axis, axis, indexing="ij")
    outside_fov = x * x + y * y > (n * spacing / 2.0) ** 2
    phantom = TorsoPhantom(rng, x, y, slices, thickness)

    patient = Patient("BENCH^CT^TORSO", "LBCT0001", "19580214", "M")
    study = Study(make_uid("ct", "study"), "20250310", "083000", "CT1", "LBCTACC01",
                  "CT CHEST ABDOMEN PELVIS")
    series = Series(make_uid("ct", "series"), 3, "AXIAL 1.0 SOFT", "CHEST",
                    make_uid("ct", "frame"))
    ds = series_template(CT_IMAGE_STORAGE, "CT", patient, study, series, n, n, signed=True)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SliceThickness = ds_str(thickness)
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.ReconstructionDiameter = ds_str(n * spacing)
    ds.GantryDetectorTilt = "0"
    ds.ConvolutionKernel = "SOFT"
    ds.XRayTubeCurrent = 220
    ds.PixelSpacing = [ds_str(spacing), ds_str(spacing)]
    ds.WindowCenter = ["40", "-600"]
    ds.WindowWidth = ["400", "1500"]
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"

    z0 = -0.5 * (slices - 1) * thickness
    for k in range(slices):
        stored = np.rint(phantom.hu(k)) + 1024.0
        np.clip(stored, 0, 4095, out=stored)
        stored[outside_fov] = 0   # outside the reconstruction circle: -1024 HU
        write_image(ds, os.path.join(root, "CT%04d.dcm" % (k + 1)), k + 1,
                    (first, first, z0 + k * thickness), stored.astype(np.int16))
    return study.uid, series.uid, slices


# ------------------------------------------------------------------ MR phantom


def write_mr(root, slices):
    n, spacing = 256, 1.0
    rng = np.random.default_rng(20240602)
    first = -(n - 1) * spacing / 2.0
    axis = first + spacing * np.arange(n, dtype=np.float32)
    y, x = np.meshgrid(axis, axis, indexing="ij")
    gyri = SmoothField3D(rng, (30, 40, 40), (n, n), slices)
    bias = SmoothField3D(rng, (3, 4, 4), (n, n), slices)

    patient = Patient("BENCH^MR^HEAD", "LBMR0001", "19820930", "F")
    study = Study(make_uid("mr", "study"), "20250311", "141500", "MR1", "LBMRACC01",
                  "MR BRAIN")
    series = Series(make_uid("mr", "series"), 5, "T1 3D AX 1mm", "HEAD", make_uid("mr", "frame"))
    ds = series_template(MR_IMAGE_STORAGE, "MR", patient, study, series, n, n, signed=False)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
    ds.ScanningSequence = "GR"
    ds.SequenceVariant = ["SP", "MP"]
    ds.ScanOptions = "IR"
    ds.MRAcquisitionType = "3D"
    ds.SliceThickness = ds_str(spacing)
    ds.RepetitionTime = "2000"
    ds.EchoTime = "2.5"
    ds.InversionTime = "900"
    ds.MagneticFieldStrength = "3"
    ds.FlipAngle = "8"
    ds.PixelSpacing = [ds_str(spacing), ds_str(spacing)]
    ds.WindowCenter = "450"
    ds.WindowWidth = "900"

    z0 = -0.5 * (slices - 1) * spacing
    sigma = 14.0
    for k in range(slices):
        # Head: an ellipsoid 150 x 190 x 172 mm centred in the volume.
        c = (z0 + k * spacing) / 86.0
        r = np.sqrt(max(0.0, 1.0 - c * c))
        g = gyri.slice(k)

        def shell(ax, ay):
            return (x / (ax * r + 0.5)) ** 2 + ((y + 5.0) / (ay * r + 0.5)) ** 2 <= 1.0

        img = np.zeros((n, n), dtype=np.float32)
        img[shell(75, 95)] = 720.0    # scalp fat: bright on T1
        img[shell(70, 90)] = 70.0     # skull
        img[shell(65, 85)] = 140.0    # CSF over the cortex
        gm = shell(62, 82) & (g > -0.9)
        img[gm] = 430.0 + 25.0 * g[gm]
        wm = shell(52, 72) & (g > -0.35)
        img[wm] = 600.0 + 15.0 * g[wm]
        if abs(c) < 0.3:   # lateral ventricles
            for side in (-1, 1):
                v = ((x - side * 10) / 7.0) ** 2 + ((y + 8.0) / 30.0) ** 2 <= 1.0
                img[v] = 140.0
        if -0.7 < c < -0.4:   # eyes, in front, inside the orbits
            for side in (-1, 1):
                eye = ((x - side * 30 * r) / 11.0) ** 2 + ((y + 5.0 + 68.0 * r) / 11.0) ** 2 <= 1.0
                img[eye & shell(70, 90)] = 90.0
        img *= 1.0 + 0.12 * bias.slice(k)
        real = img + rng.normal(0.0, sigma, img.shape).astype(np.float32)
        imag = rng.normal(0.0, sigma, img.shape).astype(np.float32)
        stored = np.clip(np.rint(np.hypot(real, imag)), 0, 4095).astype(np.uint16)
        write_image(ds, os.path.join(root, "MR%04d.dcm" % (k + 1)), k + 1,
                    (first, first, z0 + k * spacing), stored)
    return study.uid, series.uid, slices


# ------------------------------------------------------------------ many small studies

SURNAMES = ["ADAMS", "BAKER", "CLARK", "DIAZ", "EVANS", "FISCHER", "GARCIA", "HUGHES", "IVANOV",
            "JENSEN", "KOWALSKI", "LOPEZ", "MULLER", "NGUYEN", "OKAFOR", "PETERS", "QUINN",
            "ROSSI", "SILVA", "TANAKA", "URBAN", "VOGEL", "WALSH", "XU", "YILMAZ"]
GIVEN = ["ANNA", "BEN", "CARLA", "DAVID", "EMMA", "FELIX", "GRACE", "HENRY", "IRIS", "JONAS",
         "KAREN", "LUKAS", "MARIA", "NOAH", "OLGA", "PAUL", "ROSA", "SIMON", "TARA", "VICTOR"]
EXAMS = [("CT HEAD", "HEAD"), ("CT CHEST", "CHEST"), ("CT ABDOMEN", "ABDOMEN"),
         ("CT SPINE", "SPINE"), ("CT PELVIS", "PELVIS"), ("CT NECK", "NECK")]


def write_many(root, patients=500, studies_per_patient=4, images=5):
    n, spacing, thickness = 64, 3.0, 5.0
    rng = np.random.default_rng(20240603)
    first = -(n - 1) * spacing / 2.0
    axis = first + spacing * np.arange(n)
    y, x = np.meshgrid(axis, axis, indexing="ij")
    r2 = x * x + y * y
    for p in range(patients):
        patient = Patient("%s^%s" % (SURNAMES[p % len(SURNAMES)], GIVEN[p // len(SURNAMES) % len(GIVEN)]),
                          "LBP%06d" % p,
                          "%04d%02d%02d" % (1935 + p * 7 % 70, 1 + p % 12, 1 + p * 3 % 28),
                          "FM"[p % 2])
        for s in range(studies_per_patient):
            index = p * studies_per_patient + s
            exam, body_part = EXAMS[index * 5 % len(EXAMS)]
            study = Study(make_uid("many", p, s, "study"),
                          "%04d%02d%02d" % (2016 + s * 2 + p % 2, 1 + index * 5 % 12, 1 + index % 28),
                          "%02d%02d%02d" % (7 + index % 11, index * 13 % 60, index * 7 % 60),
                          str(index + 1), "LBA%08d" % index, exam)
            series = Series(make_uid("many", p, s, "series"), 2, exam + " AXIAL 5.0", body_part,
                            make_uid("many", p, s, "frame"))
            ds = series_template(CT_IMAGE_STORAGE, "CT", patient, study, series, n, n, signed=True)
            ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
            ds.SliceThickness = ds_str(thickness)
            ds.KVP = "120"
            ds.PixelSpacing = [ds_str(spacing), ds_str(spacing)]
            ds.WindowCenter = "40"
            ds.WindowWidth = "400"
            ds.RescaleIntercept = "-1024"
            ds.RescaleSlope = "1"
            ds.RescaleType = "HU"
            folder = os.path.join(root, "P%04d" % p, "S%d" % (s + 1))
            os.makedirs(folder)
            radius = 70.0 + 10.0 * ((index * 37) % 7) / 6.0
            for i in range(images):
                hu = np.where(r2 <= (radius - 4.0 * i) ** 2, 40.0, -1000.0)
                hu = hu + rng.normal(0.0, 12.0, hu.shape)
                stored = np.clip(np.rint(hu) + 1024.0, 0, 4095).astype(np.int16)
                write_image(ds, os.path.join(folder, "IM%d.dcm" % (i + 1)), i + 1,
                            (first, first, i * thickness), stored)
    return None, None, patients * studies_per_patient * images


# ------------------------------------------------------------------ driver


def folder_stats(path):
    files = size = 0
    for parent, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(parent, name))
    return files, size


def update_manifest(root, entries):
    """manifest.txt keeps one line per part; regenerating a part replaces its line."""
    path = os.path.join(root, "manifest.txt")
    lines = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    lines[line.split()[0]] = line.rstrip("\n")
    lines.update(entries)
    with open(path, "w") as f:
        f.write("# written by bench/make_bench_data.py (generator version %s)\n" % GENERATOR_VERSION)
        for part in ("ct", "mr", "many"):
            if part in lines:
                f.write(lines[part] + "\n")


def main():
    parser = argparse.ArgumentParser(description="Writes Lightbox's benchmark DICOM dataset.")
    parser.add_argument("outdir")
    parser.add_argument("--only", default="ct,mr,many",
                        help="comma-separated parts to write: ct, mr, many (default: all)")
    # Quick checks only: fewer CT / MR slices (the benchmarks expect the defaults).
    parser.add_argument("--slices", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - {"ct", "mr", "many"}
    if unknown:
        parser.error("unknown part(s): " + ",".join(sorted(unknown)))

    jobs = {
        "ct": lambda out: write_ct(out, args.slices or 400),
        "mr": lambda out: write_mr(out, args.slices or 180),
        "many": write_many,
    }
    os.makedirs(args.outdir, exist_ok=True)
    entries = {}
    for part in ("ct", "mr", "many"):
        if part not in parts:
            continue
        final = os.path.join(args.outdir, part)
        partial = final + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(partial)
        start = time.monotonic()
        study_uid, series_uid, _ = jobs[part](partial)
        seconds = time.monotonic() - start
        shutil.rmtree(final, ignore_errors=True)
        os.rename(partial, final)
        files, size = folder_stats(final)
        entry = "%-4s files=%d bytes=%d seconds=%.1f" % (part, files, size, seconds)
        if study_uid:
            entry += " study=%s series=%s" % (study_uid, series_uid)
        entries[part] = entry
        print(entry, flush=True)
    update_manifest(args.outdir, entries)


if __name__ == "__main__":
    main()
