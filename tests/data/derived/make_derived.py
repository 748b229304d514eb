#!/usr/bin/python3
"""Regenerate the derived geometry test series in tests/data/derived/ from the real
series in tests/data/, and the dcm2niix oracle outputs for each of them.

Run from anywhere:   /usr/bin/python3 tests/data/derived/make_derived.py [SERIES ...]
(SERIES = one or more of the folder names below; default: all of them).

Needs (Debian 12 packages): python3-pydicom (2.3), python3-numpy, python3-nibabel,
dcmtk (dcmconv, dcmcjpeg, dcmdjpeg, dcmdump) and dcm2niix (v1.0.20220720).
Use Debian's /usr/bin/python3: a pyenv python may lack pydicom/nibabel.

Deterministic: no timestamps, no random numbers; every new UID is derived from a
source UID by the rule in derive_uid(); dcm2niix's timing lines are dropped from the
saved logs; NIfTI files are gzipped here with mtime 0. Running it twice gives
byte-identical files (checked by the caller with sha256sum).

What each series is, and why, is in README.md next to this script.
"""
import gzip
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

HERE = Path(__file__).resolve().parent          # tests/data/derived
DATA = HERE.parent                               # tests/data
CT_SRC = DATA / "ct_philips_ingenuity_phantom" / "S2010_axial_5mm"
LOCALIZER_SRC = DATA / "ct_philips_ingenuity_phantom" / "S1000_localizer" / "I10"
MOSAIC_SRC = DATA / "mr_siemens_skyra_epi_mosaic"

TILT_DEG = 18.5
TABLE_STEP_MM = 5.0
VARIABLE_STEPS_MM = [4.0] * 13 + [1.1] + [7.0] * 13   # 27 steps -> 28 slices

# Derived-UID codes (see derive_uid)
# (mr_siemens_skyra_mosaic_implicit keeps the source UIDs; the CR study UID uses the code of
# cr_no_spacing.dcm.) One digit each: the longest source UIDs have 60 characters.
UID_CODE = {
    "ct_tilt_18p5": "1",
    "ct_variable_increment": "2",
    "cr_no_spacing.dcm": "4",
    "mr_uih_mosaic_no_ipp": "5",
    "cr_imager_spacing.dcm": "6",
}
SERIES_NUMBER = {
    "ct_tilt_18p5": 9201,
    "ct_variable_increment": 9202,
    "cr_no_spacing.dcm": 9401,
    "cr_imager_spacing.dcm": 9402,
    "mr_uih_mosaic_no_ipp": 9503,
}
NIFTI_GZ_MAX_BYTES = 3 * 1024 * 1024   # keep a dcm2niix .nii.gz only below this

# Index convention written into every oracle.json
CONVENTION = {
    "patient_coordinates": "DICOM LPS, mm",
    "index": "i = column, j = row (DICOM pixel order, first row = j 0), k = slice, ascending along the "
             "normal = row cosines x column cosines; 4D: t = volume",
    "origin_lps": "LPS centre of voxel (i,j,k) = (0,0,0)",
    "direction_lps": "[row cosines (i axis), column cosines (j axis), slice normal (k axis)]",
    "spacing": "[i spacing, j spacing, k spacing] mm",
    "point_of_voxel": "lps = origin_lps + i*spacing[0]*direction_lps[0] + j*spacing[1]*direction_lps[1] "
                      "+ k*spacing[2]*direction_lps[2]",
    "affine_ras": "dcm2niix NIfTI sform (nibabel img.affine): NIfTI voxel (i',j',k') -> RAS mm. "
                  "dcm2niix stores rows bottom-up, so j' = dims[1]-1-j; ijk_dcm2niix gives (i',j',k'[,t])",
    "value": "modality value: stored*RescaleSlope+RescaleIntercept (NIfTI: nibabel get_fdata, which "
             "applies scl_slope/scl_inter)",
}


# ----------------------------------------------------------------------------- helpers

def derive_uid(uid, code):
    """The UID rule: new UID = source UID + '.9.' + code, where code is the one-digit code of
    the derived object in UID_CODE. All sources here are <= 60 characters, so the result
    stays <= 64."""
    new = f"{uid}.9.{code}"
    assert len(new) <= 64, new
    assert re.fullmatch(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*", new), new
    return new


def ds_num(v, decimals=6):
    """Format a number as a DICOM DS string (<= 16 characters)."""
    s = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    assert len(s) <= 16, s
    return s


def run(cmd, cwd=None, check=True):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def tool_versions():
    v = {
        "pydicom": pydicom.__version__,
        "numpy": np.__version__,
        "nibabel": nib.__version__,
    }
    p = run(["dcm2niix", "--version"], check=False)
    m = re.search(r"v\d+\.\d+\.\d+", p.stdout + p.stderr)
    v["dcm2niix"] = m.group(0) if m else "unknown"
    p = run(["dcmdump", "--version"], check=False)
    m = re.search(r"v\d+\.\d+\.\d+", p.stdout + p.stderr)
    v["dcmtk"] = m.group(0) if m else "unknown"
    return v


def fresh_dir(path):
    assert HERE in path.parents, path    # never touch anything outside tests/data/derived
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False)
        f.write("\n")


def r6(x):
    """Round floats (recursively) for stable, readable JSON."""
    if isinstance(x, (list, tuple)):
        return [r6(v) for v in x]
    if isinstance(x, np.ndarray):
        return r6(x.tolist())
    if isinstance(x, (float, np.floating)):
        v = round(float(x), 6)
        return 0.0 if v == 0 else v
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def ct_source_files():
    files = [f for f in CT_SRC.iterdir() if f.name.startswith("I")]   # DIRFILE has no pixels
    files.sort(key=lambda f: float(pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2]))
    assert len(files) == 28, len(files)
    return files


def modality_array(ds):
    a = ds.pixel_array.astype(np.float64)
    slope = float(ds.get("RescaleSlope", 1) or 1)
    inter = float(ds.get("RescaleIntercept", 0) or 0)
    return a * slope + inter


class Plane:
    """One acquired 2D image (a DICOM slice or a mosaic tile) with its geometry."""

    def __init__(self, ipp, rowcos, colcos, col_spacing, row_spacing, values, label):
        self.ipp = np.asarray(ipp, float)
        self.rowcos = np.asarray(rowcos, float)
        self.colcos = np.asarray(colcos, float)
        self.normal = np.cross(self.rowcos, self.colcos)
        self.cs = float(col_spacing)      # spacing between columns (PixelSpacing[1])
        self.rs = float(row_spacing)      # spacing between rows (PixelSpacing[0])
        self.values = values              # [row, col] modality values
        self.label = label

    def point(self, col, row):
        return self.ipp + col * self.cs * self.rowcos + row * self.rs * self.colcos

    def lookup(self, lps, tol=1e-3):
        """Value at an LPS point if it is (within tol mm) a pixel centre of this plane."""
        d = np.asarray(lps, float) - self.ipp
        if abs(d @ self.normal) > tol:
            return None
        c = d @ self.rowcos / self.cs
        r = d @ self.colcos / self.rs
        ci, ri = int(round(c)), int(round(r))
        if abs(c - ci) * self.cs > tol or abs(r - ri) * self.rs > tol:
            return None
        if not (0 <= ri < self.values.shape[0] and 0 <= ci < self.values.shape[1]):
            return None
        return float(self.values[ri, ci]), (ci, ri)


def bilinear(values, col, row):
    c0, r0 = int(math.floor(col)), int(math.floor(row))
    fc, fr = col - c0, row - r0
    c1, r1 = min(c0 + 1, values.shape[1] - 1), min(r0 + 1, values.shape[0] - 1)
    return ((1 - fr) * ((1 - fc) * values[r0, c0] + fc * values[r0, c1])
            + fr * ((1 - fc) * values[r1, c0] + fc * values[r1, c1]))


def acquired_interp(planes, lps):
    """Value at an LPS point interpolated from the acquired planes (parallel planes sorted
    along their normal): bilinear in-plane, linear between the two bracketing planes."""
    lps = np.asarray(lps, float)
    normal = planes[0].normal
    s = [float((lps - p.ipp) @ normal) for p in planes]
    for k in range(len(planes)):
        if abs(s[k]) < 1e-4 or (k + 1 < len(planes) and s[k] > 0 > s[k + 1]) or \
                (k + 1 < len(planes) and s[k] < 0 < s[k + 1]):
            break
    else:
        return None
    def sample(p):
        d = lps - p.ipp
        return float(bilinear(p.values, d @ p.rowcos / p.cs, d @ p.colcos / p.rs))
    if abs(s[k]) < 1e-4:
        return sample(planes[k])
    w = abs(s[k]) / (abs(s[k]) + abs(s[k + 1]))
    return (1 - w) * sample(planes[k]) + w * sample(planes[k + 1])


def check_against_acquired(probes, planes, tol=1.0):
    """dcm2niix's resampled values must equal linear interpolation of the acquired pixels at the
    claimed acquired geometry (up to its int16 rounding): this ties the probes to the geometry."""
    for p in probes:
        v = acquired_interp(planes, p["lps"])
        assert v is not None and abs(v - p["value"]) <= tol, (p, v)
        p["acquired_linear_interp"] = r6(v)


def dicom_value_at(planes, lps):
    for idx, p in enumerate(planes):
        hit = p.lookup(lps)
        if hit is not None:
            return hit[0], (hit[1][0], hit[1][1], idx)
    return None, None


# ----------------------------------------------------------------------------- dcm2niix

def run_dcm2niix(in_dir, keep_dir, prefix, keep_nifti):
    """Run dcm2niix on in_dir into a temporary folder; copy the .json sidecars (and, when
    keep_nifti and small enough, a gzip of each .nii) into keep_dir. Returns
    (list of output dicts, sanitized log text)."""
    keep_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lb_dcm2niix_"))
    try:
        cmd = ["dcm2niix", "-b", "y", "-z", "n", "-f", prefix, "-o", str(tmp), str(in_dir)]
        p = run(cmd, check=False)
        log = (p.stdout + p.stderr).replace(str(tmp), "dcm2niix").replace(str(in_dir), "<series folder>")
        log = "\n".join(l for l in log.splitlines() if not l.startswith("Conversion required")) + "\n"
        log = f"$ dcm2niix -b y -z n -f {prefix} -o dcm2niix <series folder>   (exit {p.returncode})\n" + log
        outs = []
        for nii in sorted(tmp.glob("*.nii")):
            img = nib.load(str(nii))
            data = np.asarray(img.get_fdata(dtype=np.float64))
            sidecar = nii.with_suffix(".json")
            kept = None
            if sidecar.exists():
                shutil.copyfile(sidecar, keep_dir / sidecar.name)
            if keep_nifti:
                gz = keep_dir / (nii.name + ".gz")
                with open(nii, "rb") as f_in, open(gz, "wb") as raw:
                    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f_out:
                        shutil.copyfileobj(f_in, f_out)
                if gz.stat().st_size > NIFTI_GZ_MAX_BYTES:
                    gz.unlink()
                else:
                    kept = gz.name
            hdr = img.header
            slope, inter = hdr.get_slope_inter()
            outs.append({
                "file": nii.name,
                "kept_as": kept,
                "sidecar": sidecar.name if sidecar.exists() else None,
                "shape": list(img.shape),
                "zooms": r6(list(hdr.get_zooms())),
                "datatype": str(img.get_data_dtype()),
                "scl_slope": None if slope is None else r6(slope),
                "scl_inter": None if inter is None else r6(inter),
                "sform_code": int(hdr["sform_code"]),
                "qform_code": int(hdr["qform_code"]),
                "affine_ras": r6(img.affine),
                "_data": data,
                "_affine": np.array(img.affine, float),
            })
        return outs, log
    finally:
        shutil.rmtree(tmp)


def public(out):
    return {k: v for k, v in out.items() if not k.startswith("_")}


def ours_from_nifti(out, rowcos, colcos):
    """Express a dcm2niix output grid in our convention. Returns a dict with dims, spacing,
    origin_lps, direction_lps and a function mapping our (i,j,k) to NIfTI (i',j',k')."""
    rowcos = np.asarray(rowcos, float)
    colcos = np.asarray(colcos, float)
    normal = np.cross(rowcos, colcos)
    A = np.diag([-1.0, -1.0, 1.0, 1.0]) @ out["_affine"]      # NIfTI voxel -> LPS
    shape = out["shape"]
    refs = [rowcos, colcos, normal]
    flips, dirs, spac = [], [], []
    for a in range(3):
        v = A[:3, a]
        n = np.linalg.norm(v)
        c = float(v @ refs[a]) / n
        assert abs(c) > 0.9, f"NIfTI axis {a} not parallel to DICOM axis: cos={c}"
        flips.append(bool(c < 0))
        dirs.append((-v if c < 0 else v) / n)
        spac.append(n)

    def to_nifti(i, j, k):
        ijk = [i, j, k]
        return [shape[a] - 1 - ijk[a] if flips[a] else ijk[a] for a in range(3)]

    origin = A @ np.array(to_nifti(0, 0, 0) + [1.0])
    return {
        "dims": list(shape),
        "spacing": spac,
        "origin_lps": origin[:3],
        "direction_lps": dirs,
        "nifti_flips_ijk": flips,
        "to_nifti": to_nifti,
        "lps": lambda i, j, k: (A @ np.array(to_nifti(i, j, k) + [1.0]))[:3],
    }


def probe(out, g, i, j, k, t=None):
    n = g["to_nifti"](i, j, k)
    data = out["_data"]
    idx = tuple(n) + ((t,) if t is not None else ())
    v = float(data[idx])
    lo = [max(0, x - 1) for x in n]
    hi = [x + 2 for x in n]
    nb = data[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
    if t is not None:
        nb = nb[..., t]
    return {
        "ijk": [i, j, k] + ([t] if t is not None else []),
        "lps": r6(g["lps"](i, j, k)),
        "ijk_dcm2niix": list(idx),
        "value": r6(v),
        "value_range_3x3x3": [r6(float(nb.min())), r6(float(nb.max()))],
    }


def pick_probes(out, g, inside, n=10, t=None, fractions=None, max_spread=None):
    """Deterministic probes: walk a fixed (seeded) shuffle of fractional grid positions, keep
    those whose value satisfies inside(v) (and, with max_spread, whose 3x3x3 neighbourhood
    varies by at most max_spread, so that a resampled volume can be compared with a small
    tolerance). First pass: at most one probe per slice k (when there are enough slices)."""
    dims = g["dims"]
    if fractions is None:
        fr = [0.15 + 0.05 * m for m in range(15)]          # 0.15 .. 0.85
        grid = [(a, b, c) for c in fr for b in fr for a in fr]
        order = np.random.RandomState(1234).permutation(len(grid))   # fixed seed: deterministic
        fractions = [grid[m] for m in order]
    res, seen = [], set()
    for distinct_k in ([True, False] if dims[2] >= 2 * n else [False]):
        for fa, fb, fc in fractions:
            if len(res) == n:
                return res
            i, j, k = (int(round(fa * (dims[0] - 1))), int(round(fb * (dims[1] - 1))),
                       int(round(fc * (dims[2] - 1))))
            if (i, j, k) in seen or (distinct_k and any(p["ijk"][2] == k for p in res)):
                continue
            seen.add((i, j, k))
            p = probe(out, g, i, j, k, t)
            lo, hi = p["value_range_3x3x3"]
            if inside(p["value"]) and (max_spread is None or hi - lo <= max_spread):
                res.append(p)
    return res


def geometry_block(g):
    return {
        "dims": g["dims"],
        "spacing": r6(g["spacing"]),
        "origin_lps": r6(g["origin_lps"]),
        "direction_lps": r6(g["direction_lps"]),
    }


# ----------------------------------------------------------------------------- CT series

def write_ct_derived(name, positions, iop, tilt, description, derivation):
    """Write 28 CT slices with new positions (and orientation/tilt) into tests/data/derived/name,
    JPEG-lossless encoded (pixel values unchanged). Returns (planes, output dir)."""
    out_dir = HERE / name
    fresh_dir(out_dir)
    code = UID_CODE[name]
    planes = []
    with tempfile.TemporaryDirectory(prefix="lb_ct_") as tmp:
        tmp = Path(tmp)
        for k, src in enumerate(ct_source_files()):
            ds = pydicom.dcmread(src)
            values = modality_array(ds)
            ds.SOPInstanceUID = derive_uid(ds.SOPInstanceUID, code)
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.SeriesInstanceUID = derive_uid(ds.SeriesInstanceUID, code)
            ds.FrameOfReferenceUID = derive_uid(ds.FrameOfReferenceUID, code)
            ds.SeriesNumber = SERIES_NUMBER[name]
            ds.SeriesDescription = description
            ds.InstanceNumber = k + 1
            ds.ImageOrientationPatient = [ds_num(v, 12) for v in iop]
            ds.ImagePositionPatient = [ds_num(v, 4) for v in positions[k]]
            ds.SliceLocation = ds_num(positions[k][2], 4)
            ds.GantryDetectorTilt = ds_num(tilt, 4)
            if "SpacingBetweenSlices" in ds:
                del ds.SpacingBetweenSlices
            ds.DerivationDescription = derivation
            plain = tmp / src.name
            ds.save_as(plain, write_like_original=False)
            final = out_dir / src.name
            # JPEG Lossless, Non-Hierarchical, Process 14 (1.2.840.10008.1.2.4.57), predictor 4:
            # lossless, about 3.7x smaller than the uncompressed slices
            run(["dcmcjpeg", "+el", "+sv", "4", str(plain), str(final)])
            # prove the pixel values survived: decode with DCMTK and compare with the source
            back = tmp / (src.name + ".dec")
            run(["dcmdjpeg", str(final), str(back)])
            a = pydicom.dcmread(back).pixel_array
            b = pydicom.dcmread(src).pixel_array
            assert a.dtype == b.dtype and np.array_equal(a, b), f"pixel mismatch {src.name}"
            pdec = pydicom.dcmread(final, stop_before_pixels=True)
            assert pdec.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.57"
            ps = [float(x) for x in ds.PixelSpacing]
            planes.append(Plane(positions[k], iop[:3], iop[3:], ps[1], ps[0], values, src.name))
    return planes, out_dir


def original_ct_planes():
    planes = []
    for src in ct_source_files():
        ds = pydicom.dcmread(src)
        iop = [float(x) for x in ds.ImageOrientationPatient]
        ps = [float(x) for x in ds.PixelSpacing]
        planes.append(Plane([float(x) for x in ds.ImagePositionPatient], iop[:3], iop[3:], ps[1], ps[0],
                            modality_array(ds), src.name))
    return planes


_CONVENTION_CHECK = None


def convention_check():
    """Self-check of the NIfTI -> our-convention conversion: dcm2niix on the untouched axial CT,
    10 probes read from its NIfTI must equal the DICOM pixel (stored*slope+intercept) at the same
    LPS point."""
    global _CONVENTION_CHECK
    if _CONVENTION_CHECK is not None:
        return _CONVENTION_CHECK
    with tempfile.TemporaryDirectory(prefix="lb_check_") as tmp:
        outs, _ = run_dcm2niix(CT_SRC, Path(tmp) / "keep", "orig", keep_nifti=False)
    assert len(outs) == 1
    out = outs[0]
    planes = original_ct_planes()
    g = ours_from_nifti(out, planes[0].rowcos, planes[0].colcos)
    probes = pick_probes(out, g, lambda v: v > -1100)
    checked = []
    for p in probes:
        v, where = dicom_value_at(planes, p["lps"])
        assert v is not None, p
        assert abs(v - p["value"]) < 1e-6, (p, v)
        checked.append({"lps": p["lps"], "ijk": p["ijk"], "ijk_dcm2niix": p["ijk_dcm2niix"],
                        "dcm2niix_value": p["value"], "dicom_value": r6(v),
                        "dicom_file": planes[where[2]].label, "dicom_col_row": [where[0], where[1]]})
    _CONVENTION_CHECK = {
        "what": "dcm2niix run on the untouched tests/data/ct_philips_ingenuity_phantom/S2010_axial_5mm; each "
                "probe's NIfTI value equals the DICOM pixel (stored*slope+intercept) at the same LPS point, "
                "so the NIfTI->LPS conversion used for the probes in this file is right",
        "origin_lps": r6(g["origin_lps"]),
        "nifti_flips_ijk": g["nifti_flips_ijk"],
        "passed": True,
        "probes": checked,
    }
    return _CONVENTION_CHECK


def acquired_probes(planes, picks):
    """Exact probes on the acquired slices: (col,row,slice) -> LPS and DICOM modality value."""
    res = []
    for c, r, k in picks:
        p = planes[k]
        res.append({"ijk_acquired": [c, r, k], "lps": r6(p.point(c, r)),
                    "value": r6(float(p.values[r, c])), "file": p.label})
    return res


ACQ_PICKS = [(256, 256, 0), (256, 256, 13), (256, 256, 14), (256, 256, 27), (200, 300, 5),
             (320, 180, 9), (150, 250, 20), (380, 300, 24), (256, 120, 16), (100, 256, 11)]


def make_ct_tilt(versions):
    name = "ct_tilt_18p5"
    t = math.radians(TILT_DEG)
    rowcos = [1.0, 0.0, 0.0]
    colcos = [0.0, math.cos(t), -math.sin(t)]
    src_planes = original_ct_planes()
    ipp0 = src_planes[0].ipp
    positions = [ipp0 + np.array([0.0, 0.0, TABLE_STEP_MM * k]) for k in range(28)]
    planes, out_dir = write_ct_derived(
        name, positions, rowcos + colcos, TILT_DEG, "STD BRAIN 5MM TILT 18.5 (LIGHTBOX TEST)",
        "Lightbox test data (tests/data/derived/make_derived.py): geometry rewritten to simulate a "
        "gantry tilt of 18.5 degrees (IOP tilted about x, table steps of 5 mm along z); pixel values "
        "unchanged, JPEG lossless re-encoded")
    outs, log = run_dcm2niix(out_dir, out_dir / "dcm2niix", "series%s", keep_nifti=True)
    (out_dir / "dcm2niix" / "log.txt").write_text(log)
    tilt_out = [o for o in outs if "_Tilt_" in o["file"]]
    plain_out = [o for o in outs if "_Tilt_" not in o["file"]]
    assert len(tilt_out) == 1 and len(plain_out) == 1, [o["file"] for o in outs]
    to = tilt_out[0]
    g = ours_from_nifti(to, rowcos, colcos)
    normal = np.cross(rowcos, colcos)
    assert np.allclose(g["direction_lps"][2], normal, atol=1e-5)
    probes = pick_probes(to, g, lambda v: -200 < v < 1500, max_spread=60)
    check_against_acquired(probes, planes)
    oracle = {
        "series": name,
        "conventions": CONVENTION,
        "tools": versions,
        "summary": "28 axial CT slices re-labelled as a gantry-tilted acquisition (18.5 deg about the "
                   "patient x axis); table steps 5 mm along z. Top-level grid = dcm2niix's tilt-corrected "
                   "volume (orthogonal grid in the tilted frame) expressed in our convention; "
                   "slice_positions_lps = the acquired (sheared) slice positions.",
        "tilt_deg": TILT_DEG,
        "GantryDetectorTilt": TILT_DEG,
        **geometry_block(g),
        "affine_ras": to["affine_ras"],
        "dcm2niix_file": to["file"],
        "slice_positions_lps": r6([p.ipp for p in planes]),
        "acquired": {
            "dims": [512, 512, 28],
            "pixel_spacing_row_col": [0.451171875, 0.451171875],
            "origin_lps": r6(planes[0].ipp),
            "direction_lps": r6([rowcos, colcos, normal]),
            "image_orientation_patient": r6(rowcos + colcos),
            "slice_step_lps": [0.0, 0.0, TABLE_STEP_MM],
            "spacing_along_normal": r6(TABLE_STEP_MM * math.cos(t)),
            "in_plane_shift_per_slice_along_column_cosines_mm": r6(-TABLE_STEP_MM * math.sin(t)),
            "in_plane_shift_per_slice_rows": r6(-TABLE_STEP_MM * math.sin(t) / 0.451171875),
            "note": "slice k's IPP = origin_lps + k*slice_step_lps; the step is not along the normal "
                    "(a sheared grid). Values at these positions are the stored pixels unchanged.",
        },
        "acquired_probes": acquired_probes(planes, ACQ_PICKS),
        "probes": probes,
        "probes_note": "probes sample dcm2niix's tilt-corrected (resampled, int16) volume; values off the "
                       "acquired positions are interpolated by dcm2niix, so compare with a tolerance "
                       "(value_range_3x3x3 shows the local spread). acquired_linear_interp = bilinear/linear "
                       "interpolation of the acquired pixels at the probe's LPS point using the acquired "
                       "geometry; make_derived.py asserts it is within 1 HU of dcm2niix's value. "
                       "acquired_probes are exact DICOM values at acquired pixel centres.",
        "dcm2niix": {
            "command": "dcm2niix -b y -z n -f series%s -o dcm2niix <series folder> (no extra option: "
                       "v1.0.20220720 writes the _Tilt_1 volume by itself when 0018,1120 is non-zero)",
            "outputs": [public(o) for o in outs],
            "uncorrected_output_warning": "dcm2niix's non-Tilt output keeps the 512 rows but its sform is "
                                          "neither the acquired nor the corrected geometry; not used here",
        },
        "convention_check": convention_check(),
    }
    write_json(out_dir / "oracle.json", oracle)


def make_ct_variable(versions):
    name = "ct_variable_increment"
    src_planes = original_ct_planes()
    ipp0 = src_planes[0].ipp
    z = [0.0]
    for s in VARIABLE_STEPS_MM:
        z.append(z[-1] + s)
    positions = [ipp0 + np.array([0.0, 0.0, dz]) for dz in z]
    iop = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    planes, out_dir = write_ct_derived(
        name, positions, iop, 0.0, "STD BRAIN VARIABLE INCREMENT (LIGHTBOX TEST)",
        "Lightbox test data (tests/data/derived/make_derived.py): slice positions rewritten to steps of "
        "13x4.0 mm, 1x1.1 mm, 13x7.0 mm; pixel values unchanged, JPEG lossless re-encoded")
    outs, log = run_dcm2niix(out_dir, out_dir / "dcm2niix", "series%s", keep_nifti=True)
    (out_dir / "dcm2niix" / "log.txt").write_text(log)
    eq = [o for o in outs if "_Eq_" in o["file"]]
    plain = [o for o in outs if "_Eq_" not in o["file"]]
    assert len(eq) == 1 and len(plain) == 1, [o["file"] for o in outs]
    eo = eq[0]
    g = ours_from_nifti(eo, iop[:3], iop[3:])
    probes = pick_probes(eo, g, lambda v: -200 < v < 1500, max_spread=60)
    check_against_acquired(probes, planes)
    gp = ours_from_nifti(plain[0], iop[:3], iop[3:])
    # dcm2niix decoded our JPEG-lossless files to exactly the source values: its naive output holds
    # the 28 slices unchanged (rows flipped)
    naive = plain[0]["_data"]
    for a, f in enumerate(gp["nifti_flips_ijk"]):
        if f:
            naive = np.flip(naive, axis=a)
    for k, p in enumerate(planes):
        assert np.array_equal(naive[:, :, k].T, p.values), f"dcm2niix decoded slice {k} differently"
    normal = np.array([0.0, 0.0, 1.0])
    oracle = {
        "series": name,
        "conventions": CONVENTION,
        "tools": versions,
        "summary": "28 axial CT slices with slice steps 13x4.0, 1x1.1, 13x7.0 mm along +z (normal). "
                   "Top-level grid = dcm2niix's equalized (_Eq_) volume in our convention; "
                   "slice_positions_lps = the acquired positions.",
        **geometry_block(g),
        "affine_ras": eo["affine_ras"],
        "dcm2niix_file": eo["file"],
        "slice_positions_lps": r6([p.ipp for p in planes]),
        "slice_steps_mm": VARIABLE_STEPS_MM,
        "slice_positions_along_normal": r6([float(p.ipp @ normal) for p in planes]),
        "slice_positions_along_normal_relative": r6(z),
        "acquired": {
            "dims": [512, 512, 28],
            "pixel_spacing_row_col": [0.451171875, 0.451171875],
            "origin_lps": r6(planes[0].ipp),
            "direction_lps": r6([iop[:3], iop[3:], normal]),
            "note": "no single slice spacing: use slice_positions_lps",
        },
        "acquired_probes": acquired_probes(planes, ACQ_PICKS),
        "probes": probes,
        "probes_note": "probes sample dcm2niix's equalized volume (56 slices, linear interpolation "
                       "along z, int16); compare with a tolerance. acquired_linear_interp = linear "
                       "interpolation between the two acquired slices around the probe (asserted within "
                       "1 HU of dcm2niix's value). acquired_probes are exact DICOM values.",
        "dcm2niix": {
            "command": "dcm2niix -b y -z n -f series%s -o dcm2niix <series folder>",
            "what_it_did": "warned 'Interslice distance varies in this volume', wrote the 28 slices "
                           "as-is with the first step (4 mm) as slice spacing (right only for slices "
                           "0..13), and an _Eq_1 file resampled to 56 equally spaced slices spanning "
                           "the same extent (144.1 mm / 55 = 2.62 mm)",
            "naive_output_grid": geometry_block(gp),
            "outputs": [public(o) for o in outs],
        },
        "convention_check": convention_check(),
    }
    write_json(out_dir / "oracle.json", oracle)


# ----------------------------------------------------------------------------- mosaics

def mosaic_tile_planes(dcm_files, rowcos, colcos, first_tile_ipp, step_lps, ntiles, ncols, tile):
    """Planes for every tile of every mosaic file: list per file."""
    per_file = []
    for f in dcm_files:
        ds = pydicom.dcmread(f)
        vals = modality_array(ds)
        ps = [float(x) for x in ds.PixelSpacing]
        tiles = []
        for n in range(ntiles):
            r0, c0 = (n // ncols) * tile, (n % ncols) * tile
            ipp = np.asarray(first_tile_ipp, float) + n * np.asarray(step_lps, float)
            tiles.append(Plane(ipp, rowcos, colcos, ps[1], ps[0], vals[r0:r0 + tile, c0:c0 + tile],
                               f"{Path(f).name} tile {n}"))
        per_file.append(tiles)
    return per_file


def mosaic_oracle(name, versions, out_dir, outs, log, per_file_planes, rowcos, colcos, extra):
    (out_dir / "dcm2niix" / "log.txt").write_text(log)
    assert len(outs) == 1, [o["file"] for o in outs]
    o = outs[0]
    g = ours_from_nifti(o, rowcos, colcos)
    probes = []
    for t in range(o["shape"][3]):
        ps_t = pick_probes(o, g, lambda v: v > 100, n=5, t=t)
        for p in ps_t:   # each dcm2niix probe must be the DICOM pixel of the tile at that point
            v, where = dicom_value_at(per_file_planes[t], p["lps"])
            assert v is not None and abs(v - p["value"]) < 1e-6, (p, v)
            p["dicom_tile_col_row_tile"] = list(where)
        probes += ps_t
    tile_ipps = [p.ipp for p in per_file_planes[0]]
    oracle = {
        "series": name,
        "conventions": CONVENTION,
        "tools": versions,
        **extra,
        **geometry_block(g),
        "dims": g["dims"],
        "affine_ras": o["affine_ras"],
        "dcm2niix_file": o["file"],
        "slice_positions_lps": r6(tile_ipps),
        "probes": probes,
        "probes_note": "each probe was also checked against the DICOM pixel of the de-mosaiced tile "
                       "(dicom_tile_col_row_tile = column, row inside the tile, tile number)",
        "dcm2niix": {
            "command": "dcm2niix -b y -z n -f series%s -o dcm2niix <series folder>",
            "outputs": [public(x) for x in outs],
        },
    }
    write_json(out_dir / "oracle.json", oracle)
    return o, g


def skyra_files():
    files = sorted(MOSAIC_SRC.glob("*.dcm"))
    assert len(files) == 2
    return files


# Siemens mosaic geometry (from the source files and dcm2niix on them): 3x3 grid of 72x72 tiles,
# 5 used; first tile's top-left voxel at (-108,-108,16), slices 12 mm apart along +z.
SKYRA_FIRST_TILE_IPP = [-108.0, -108.0, 16.0]
SKYRA_STEP = [0.0, 0.0, 12.0]


def make_mosaic_implicit(versions):
    name = "mr_siemens_skyra_mosaic_implicit"
    out_dir = HERE / name
    fresh_dir(out_dir)
    dumps = {}
    for src in skyra_files():
        dst = out_dir / src.name
        run(["dcmconv", "+ti", str(src), str(dst)])
        a, b = pydicom.dcmread(src), pydicom.dcmread(dst)
        assert b.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2"
        for kw in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID"):
            assert a.get(kw) == b.get(kw)
        assert np.array_equal(a.pixel_array, b.pixel_array)
        # (0019,100a) in implicit VR: tag, then a 4-byte length (2), then the US value (5)
        raw = dst.read_bytes()
        implicit = b"\x19\x00\x0a\x10" + (2).to_bytes(4, "little") + (5).to_bytes(2, "little")
        explicit = b"\x19\x00\x0a\x10US"
        assert implicit in raw and explicit not in raw
        line = [l for l in run(["dcmdump", "+P", "0019,100a", str(dst)]).stdout.splitlines() if l.strip()]
        ts = [l for l in run(["dcmdump", "-M", "+P", "0002,0010", str(dst)]).stdout.splitlines() if l.strip()]
        dumps[src.name] = {"dcmdump_0019_100a": line, "transfer_syntax": ts,
                           "raw_bytes_0019_100a": implicit.hex()}
    outs, log = run_dcm2niix(out_dir, out_dir / "dcm2niix", "series%s", keep_nifti=True)
    rowcos, colcos = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    planes = mosaic_tile_planes(sorted(out_dir.glob("*.dcm")), rowcos, colcos, SKYRA_FIRST_TILE_IPP,
                                SKYRA_STEP, 5, 3, 72)
    # the same data as the explicit-VR original, for dcm2niix too
    with tempfile.TemporaryDirectory(prefix="lb_orig_") as tmp:
        orig, _ = run_dcm2niix(MOSAIC_SRC, Path(tmp) / "k", "series%s", keep_nifti=False)
    assert len(orig) == 1 and len(outs) == 1
    assert np.array_equal(orig[0]["_data"], outs[0]["_data"])
    assert np.allclose(orig[0]["_affine"], outs[0]["_affine"])
    mosaic_oracle(name, versions, out_dir, outs, log, planes, rowcos, colcos, {
        "summary": "The Siemens Skyra mosaic (2 files, 216x216 = 3x3 tiles of 72x72, 5 used) converted "
                   "with 'dcmconv +ti' to Implicit VR Little Endian; UIDs and pixels unchanged. "
                   "De-mosaiced geometry: 72x72x5 per file, 2 volumes.",
        "encoding_check": dumps,
        "dcm2niix_same_as_explicit_original": True,
        "mosaic": {"grid_cols_rows": [3, 3], "tile": [72, 72], "tiles_used": 5,
                   "NumberOfImagesInMosaic_0019_100a": 5},
    })


UIH_CREATOR = "Image Private Header"


def make_uih(versions):
    name = "mr_uih_mosaic_no_ipp"
    out_dir = HERE / name
    fresh_dir(out_dir)
    code = UID_CODE[name]
    rowcos, colcos = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    normal = np.cross(rowcos, colcos)
    tile_ipps = [np.array(SKYRA_FIRST_TILE_IPP) + n * np.array(SKYRA_STEP) for n in range(5)]
    written = []
    for src in skyra_files():
        ds = pydicom.dcmread(src)
        arr = ds.pixel_array
        assert arr.shape == (216, 216)
        # UIH grids have ceil(n/ceil(sqrt(n))) rows of tiles: 5 tiles -> 3 columns x 2 rows.
        # The Siemens 3x3 mosaic's third tile row and its 6th tile are empty: drop the third row.
        assert not arr[144:, :].any() and not arr[72:144, 144:].any()
        crop = np.ascontiguousarray(arr[:144, :])
        ds.PixelData = crop.astype("<u2").tobytes()
        ds.Rows, ds.Columns = 144, 216
        # drop the Siemens private groups so that only the UIH route can de-mosaic it
        for elem in list(ds):
            if elem.tag.group in (0x0019, 0x0029, 0x0051):
                del ds[elem.tag]
        del ds.ImagePositionPatient
        ds.Manufacturer = "UIH"
        ds.ManufacturerModelName = "uMR (Lightbox imitation)"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        ds.SOPInstanceUID = derive_uid(ds.SOPInstanceUID, code)
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.SeriesInstanceUID = derive_uid(ds.SeriesInstanceUID, code)
        ds.FrameOfReferenceUID = derive_uid(ds.FrameOfReferenceUID, code)
        ds.SeriesNumber = SERIES_NUMBER[name]
        ds.SeriesDescription = "EPI UIH GRID IMITATION (LIGHTBOX TEST)"
        ds.DerivationDescription = (
            "Lightbox test data (tests/data/derived/make_derived.py): Siemens Skyra mosaic re-labelled as a "
            "UIH grid image: Manufacturer UIH, ImagePositionPatient removed, Siemens private groups "
            "0019/0029/0051 removed, UIH private group 0065 added, empty third tile row cropped")
        blk = ds.private_block(0x0065, UIH_CREATOR, create=True)
        blk.add_new(0x14, "DS", [ds_num(v) for v in normal])                      # SliceNormalVector
        blk.add_new(0x50, "DS", "5")                                              # NumberOfImagesInGrid
        items = []
        for p in tile_ipps:
            it = Dataset()
            it.ImagePositionPatient = [ds_num(v) for v in p]
            items.append(it)
        blk.add_new(0x51, "SQ", Sequence(items))                                  # MRVFrameSequence
        dst = out_dir / src.name.replace("epi_pe_ap", "uih_grid")
        ds.save_as(dst, write_like_original=False)
        back = pydicom.dcmread(dst)
        assert "ImagePositionPatient" not in back and np.array_equal(back.pixel_array, crop)
        written.append(dst)
    outs, log = run_dcm2niix(out_dir, out_dir / "dcm2niix", "series%s", keep_nifti=True)
    planes = mosaic_tile_planes(written, rowcos, colcos, SKYRA_FIRST_TILE_IPP, SKYRA_STEP, 5, 3, 72)
    o, g = mosaic_oracle(name, versions, out_dir, outs, log, planes, rowcos, colcos, {
        "summary": "The Skyra mosaic re-labelled as a United Imaging (UIH) grid image: no "
                   "ImagePositionPatient at the top level, tile positions only in the UIH private "
                   "sequence (0065,1051); 216x144 = 3 columns x 2 rows of 72x72 tiles, 5 used. "
                   "De-mosaiced geometry: 72x72x5 per file, 2 volumes; same geometry as the Skyra source.",
        "mosaic": {"grid_cols_rows": [3, 2], "tile": [72, 72], "tiles_used": 5,
                   "NumberOfImagesInGrid_0065_1050": 5,
                   "tile_ipps_0065_1051": r6(tile_ipps),
                   "slice_normal_0065_1014": r6(normal)},
    })
    # same geometry and voxels as dcm2niix's conversion of the Siemens original
    with tempfile.TemporaryDirectory(prefix="lb_orig_") as tmp:
        orig, _ = run_dcm2niix(MOSAIC_SRC, Path(tmp) / "k", "series%s", keep_nifti=False)
    assert np.allclose(orig[0]["_affine"], o["_affine"], atol=1e-4), (orig[0]["_affine"], o["_affine"])
    assert np.array_equal(orig[0]["_data"], o["_data"])


# ----------------------------------------------------------------------------- CR

def make_cr(versions):
    name = "cr_patient_orientation"
    out_dir = HERE / name
    fresh_dir(out_dir)
    loc = pydicom.dcmread(LOCALIZER_SRC)
    stored = loc.pixel_array                       # stored values, 12 bits in 16
    assert stored.dtype == np.uint16 and stored.shape == (256, 512)
    variants = [("cr_no_spacing.dcm", None, "1", "CR NO PIXEL SPACING (LIGHTBOX TEST)"),
                ("cr_imager_spacing.dcm", ["0.139", "0.139"], "2",
                 "CR IMAGER PIXEL SPACING 0.139 (LIGHTBOX TEST)")]
    study_uid = derive_uid(loc.StudyInstanceUID, UID_CODE["cr_no_spacing.dcm"])
    per_file = {}
    for fname, imager, n, desc in variants:
        code = UID_CODE[fname]
        sop = derive_uid(loc.SOPInstanceUID, code)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1"
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.1"
        ds.SOPInstanceUID = sop
        ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20150206"
        ds.StudyTime = "100000"
        ds.SeriesTime = ds.ContentTime = f"1000{n}0"
        ds.AccessionNumber = ""
        ds.Modality = "CR"
        ds.Manufacturer = "Lightbox test data"
        ds.ReferringPhysicianName = ""
        ds.StudyDescription = "CR PATIENT ORIENTATION TEST"
        ds.SeriesDescription = desc
        ds.DerivationDescription = (
            "Lightbox test data (tests/data/derived/make_derived.py): stored pixel values of the Philips CT "
            "lateral localizer (tests/data/ct_philips_ingenuity_phantom/S1000_localizer/I10) written as a "
            "CR image without patient geometry")
        ds.PatientName = "PHANTOM^CR"
        ds.PatientID = "LIGHTBOX-CR-PHANTOM"
        ds.PatientBirthDate = ""
        ds.PatientSex = "O"
        ds.BodyPartExamined = "HEAD"
        ds.ViewPosition = ""
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = derive_uid(loc.SeriesInstanceUID, code)
        ds.StudyID = "CR1"
        ds.SeriesNumber = SERIES_NUMBER[fname]
        ds.InstanceNumber = 1
        ds.PatientOrientation = ["R", "F"]
        if imager:
            ds.ImagerPixelSpacing = imager
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows, ds.Columns = stored.shape
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.WindowCenter, ds.WindowWidth = "353", "2062"   # the localizer's window, in stored values
        ds.PixelData = stored.astype("<u2").tobytes()
        dst = out_dir / fname
        ds.save_as(dst, write_like_original=False)
        back = pydicom.dcmread(dst)
        for kw in ("ImageOrientationPatient", "ImagePositionPatient", "FrameOfReferenceUID", "PixelSpacing"):
            assert kw not in back, kw
        assert np.array_equal(back.pixel_array, stored)
        per_file[fname] = back
    outs, log = run_dcm2niix(out_dir, out_dir / "dcm2niix", "series%s", keep_nifti=False)
    (out_dir / "dcm2niix" / "log.txt").write_text(log)
    assert len(outs) == 2, [o["file"] for o in outs]
    files = {}
    # the two corners (orientation checks) and 8 pixels inside the phantom (stored value > 100),
    # taken in a fixed order from a 9x9 grid of positions
    picks = [(0, 0), (511, 255)]
    for fr in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.1, 0.9):
        for fc in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.1, 0.9):
            c, r = int(round(fc * 511)), int(round(fr * 255))
            if stored[r, c] > 100 and len(picks) < 10:
                picks.append((c, r))
    for fname, ds in per_file.items():
        o = [x for x in outs if x["file"].startswith(f"series{ds.SeriesNumber}")]
        assert len(o) == 1
        o = o[0]
        assert o["shape"][:2] == [512, 256]
        probes = []
        for c, r in picks:
            v = float(stored[r, c])
            nj = o["shape"][1] - 1 - r            # dcm2niix stores rows bottom-up
            dv = float(o["_data"][c, nj, 0]) if len(o["shape"]) == 3 else float(o["_data"][c, nj])
            assert dv == v, (fname, c, r, dv, v)
            probes.append({"ij": [c, r], "lps": None, "ijk_dcm2niix": [c, nj, 0], "value": v})
        spacing = [0.139, 0.139, None] if "ImagerPixelSpacing" in ds else None
        files[fname] = {
            "SeriesInstanceUID": ds.SeriesInstanceUID,
            "SOPInstanceUID": ds.SOPInstanceUID,
            "dims": [512, 256, 1],
            "spacing": spacing,
            "spacing_source": "ImagerPixelSpacing (0018,1164): at the detector, not calibrated to the patient"
                              if spacing else "none: no PixelSpacing and no ImagerPixelSpacing",
            "patient_orientation": ["R", "F"],
            "origin_lps": None,
            "direction_lps": None,
            "slice_positions_lps": None,
            "affine_ras": o["affine_ras"],
            "dcm2niix_file": o["file"],
            "dcm2niix_zooms": o["zooms"],
            "probes": probes,
        }
    oracle = {
        "series": name,
        "conventions": CONVENTION,
        "tools": versions,
        "summary": "Two CR images (one series each, same study and patient) without any patient geometry "
                   "(no IOP, IPP, FrameOfReferenceUID, PixelSpacing); PatientOrientation R\\F. Values are "
                   "the stored pixel values (no Modality LUT). origin/direction are null: there is no "
                   "patient coordinate system; the image-space probes use ij = (column, row).",
        "dims": [512, 256, 1],
        "spacing": None,
        "affine_ras": None,
        "origin_lps": None,
        "direction_lps": None,
        "slice_positions_lps": None,
        "probes": None,
        "per_file": files,
        "dcm2niix": {
            "command": "dcm2niix -b y -z n -f series%s -o dcm2niix <series folder>",
            "what_it_did": "converted each image as a single slice, assumed an axial orientation and "
                           "1 mm pixels for the image without PixelSpacing (it does not read "
                           "ImagerPixelSpacing); see log.txt and affine_ras per file",
            "outputs": [public(x) for x in outs],
        },
    }
    write_json(out_dir / "oracle.json", oracle)


# ----------------------------------------------------------------------------- main

BUILDERS = {
    "ct_tilt_18p5": make_ct_tilt,
    "ct_variable_increment": make_ct_variable,
    "mr_siemens_skyra_mosaic_implicit": make_mosaic_implicit,
    "cr_patient_orientation": make_cr,
    "mr_uih_mosaic_no_ipp": make_uih,
}


def main(argv):
    names = argv or list(BUILDERS)
    for n in names:
        if n not in BUILDERS:
            sys.exit(f"unknown series {n}; choose from {', '.join(BUILDERS)}")
    versions = tool_versions()
    for n in names:
        print(f"== {n}", flush=True)
        BUILDERS[n](versions)
    print("done")


if __name__ == "__main__":
    main(sys.argv[1:])
