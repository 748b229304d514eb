#!/usr/bin/python3
"""Small studies for the reading workflow's tests (priors, hanging protocols), written at test
time from the real series in tests/data (CT, MR) and, where no real data of a kind is at hand
(chest radiographs, mammograms), from small synthetic images carrying the attributes protocols
match on (Modality, ViewPosition, ImageLaterality, BodyPartExamined).

    /usr/bin/python3 tests/data/derived/make_reading_studies.py OUTDIR

Writes OUTDIR/<study>/<series>/*.dcm and OUTDIR/studies.json: for each study its UID, patient,
date, description and series (UID, description, files). Real pixels are subsampled (CT to
128x128, MR to 128x128) with PixelSpacing adjusted, so the studies stay small; the geometry of
pixel (0,0) is the source's. Deterministic: UIDs are 2.25 UUID-5s of fixed names.
"""
import json
import sys
import uuid
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
CT_SRC = DATA / "ct_philips_ingenuity_phantom" / "S2010_axial_5mm"
CT_LOCALIZER = DATA / "ct_philips_ingenuity_phantom" / "S1000_localizer" / "I10"
MR_T1_SRC = DATA / "mr_ge_pioneer_t1_mprage_3d"
MR_EPI_SRC = DATA / "mr_ge_discovery_epi_4d"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "lightbox/tests/make_reading_studies/v1")
CR_STORAGE = "1.2.840.10008.5.1.4.1.1.1"
MG_STORAGE = "1.2.840.10008.5.1.4.1.1.1.2"
ABDOMEN_PRIOR_SHIFT = (8.0, -6.0, 30.0)  # mm, prior = current + shift (written to studies.json)


def uid(*names):
    return "2.25.%d" % uuid.uuid5(NAMESPACE, "/".join(names)).int


def sorted_slices(folder, count):
    """`count` slices from the middle of a real series, in table order."""
    datasets = []
    for path in sorted(folder.iterdir()):
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if "PixelData" in ds and "ImagePositionPatient" in ds:
            datasets.append(ds)
    positions = {}
    for ds in datasets:  # one per position (the EPI repeats positions in time)
        positions.setdefault(tuple(round(float(v), 3) for v in ds.ImagePositionPatient), ds)
    unique = sorted(positions.values(), key=lambda d: float(d.ImagePositionPatient[2]))
    start = max(0, (len(unique) - count) // 2)
    return unique[start:start + count]


class Writer:
    def __init__(self, out):
        self.out = out
        self.studies = {}

    def study(self, key, patient, date, description, accession):
        self.studies[key] = {"study_uid": uid(key), "patient": patient, "date": date, "description": description,
                             "accession": accession, "series": {}}
        return self.studies[key]

    def _common(self, ds, study, series_key, series_uid, description, number, modality, body_part):
        patient = study["patient"]
        ds.PatientName = patient["name"]
        ds.PatientID = patient["id"]
        if patient.get("issuer"):
            ds.IssuerOfPatientID = patient["issuer"]
        elif "IssuerOfPatientID" in ds:
            del ds.IssuerOfPatientID
        ds.PatientBirthDate = patient["birth_date"]
        ds.PatientSex = patient.get("sex", "F")
        ds.StudyInstanceUID = study["study_uid"]
        ds.StudyDate = study["date"]
        ds.SeriesDate = study["date"]
        ds.StudyTime = "101500"
        ds.StudyDescription = study["description"]
        ds.AccessionNumber = study["accession"]
        ds.StudyID = "1"
        ds.SeriesInstanceUID = series_uid
        ds.SeriesDescription = description
        ds.SeriesNumber = number
        ds.Modality = modality
        ds.BodyPartExamined = body_part
        ds.FrameOfReferenceUID = uid(series_key, "for")

    def _save(self, ds, study, series_key, series_uid, description, index):
        folder = self.out / study_key_of(self, study) / series_key
        folder.mkdir(parents=True, exist_ok=True)
        sop = uid(series_key, str(index))
        ds.SOPInstanceUID = sop
        ds.file_meta.MediaStorageSOPInstanceUID = sop
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        path = folder / ("%03d.dcm" % index)
        ds.save_as(path, write_like_original=False)
        entry = study["series"].setdefault(series_key, {"series_uid": series_uid, "description": description, "files": 0})
        entry["files"] += 1

    def real_series(self, study, series_key, source, count, description, number, modality, body_part,
                    subsample=4, contrast=None, image_type=None, shift=(0.0, 0.0, 0.0)):
        series_uid = uid(series_key)
        for index, ds in enumerate(sorted_slices(source, count)):
            ds = pydicom.dcmread(ds.filename)  # a fresh copy per study
            pixels = ds.pixel_array[::subsample, ::subsample].copy()
            ds.PixelData = pixels.tobytes()
            ds.Rows, ds.Columns = pixels.shape
            ds.PixelSpacing = [float(ds.PixelSpacing[0]) * subsample, float(ds.PixelSpacing[1]) * subsample]
            # The patient lay elsewhere on the table: the same anatomy at other coordinates.
            ds.ImagePositionPatient = [float(v) + d for v, d in zip(ds.ImagePositionPatient, shift)]
            for private in [t for t in ds.keys() if t.is_private]:
                del ds[private]
            self._common(ds, study, series_key, series_uid, description, number, modality, body_part)
            if contrast:
                ds.ContrastBolusAgent = contrast
            if image_type:
                ds.ImageType = image_type
            ds.InstanceNumber = index + 1
            self._save(ds, study, series_key, series_uid, description, index)

    def localizer(self, study, series_key, number):
        ds = pydicom.dcmread(CT_LOCALIZER)
        series_uid = uid(series_key)
        for private in [t for t in ds.keys() if t.is_private]:
            del ds[private]
        self._common(ds, study, series_key, series_uid, "Surview", number, "CT", ds.get("BodyPartExamined", "HEAD"))
        ds.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"]
        self._save(ds, study, series_key, series_uid, "Surview", 0)

    def projection(self, study, series_key, number, modality, body_part, view_position, laterality, description, seed):
        """A 64x64 synthetic radiograph or mammogram (no patient geometry, like the real ones)."""
        meta = FileMetaDataset()
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID = CR_STORAGE if modality in ("CR", "DX") else MG_STORAGE
        rng = np.random.default_rng(seed)
        y, x = np.mgrid[0:64, 0:64]
        pixels = (800 + 600 * np.exp(-((x - 32) ** 2 + (y - 30) ** 2) / 300.0) + rng.normal(0, 20, (64, 64)))
        pixels = np.clip(pixels, 0, 4095).astype(np.uint16)
        ds.Rows = ds.Columns = 64
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 12
        ds.HighBit = 11
        ds.PixelRepresentation = 0
        ds.ImagerPixelSpacing = [0.2, 0.2]
        ds.PixelData = pixels.tobytes()
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
        ds.ViewPosition = view_position
        if laterality:
            ds.ImageLaterality = laterality
        ds.PatientOrientation = ["A", "R"] if laterality == "R" else ["P", "L"] if laterality == "L" else ["L", "F"]
        ds.InstanceNumber = 1
        ds.WindowCenter = 1100
        ds.WindowWidth = 1200
        series_uid = uid(series_key)
        self._common(ds, study, series_key, series_uid, description, number, modality, body_part)
        del ds.FrameOfReferenceUID
        self._save(ds, study, series_key, series_uid, description, 0)


def study_key_of(writer, study):
    for key, value in writer.studies.items():
        if value is study:
            return key
    raise KeyError


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    w = Writer(out)
    rita = {"name": "Reader^Rita", "id": "LBR-001", "issuer": "LIGHTBOX-TEST", "birth_date": "19600101"}
    other_person = {"name": "Other^Otto", "id": "LBR-001", "issuer": "OTHER-HOSPITAL", "birth_date": "19700202", "sex": "M"}
    rita_elsewhere = {"name": "READER^RITA", "id": "XYZ-999", "issuer": "", "birth_date": "19600101"}
    abdo = {"name": "Abdomen^Anna", "id": "LBR-002", "issuer": "", "birth_date": "19550505"}
    chest = {"name": "Chest^Carl", "id": "LBR-003", "issuer": "", "birth_date": "19450303", "sex": "M"}
    mammo = {"name": "Mammo^Mia", "id": "LBR-004", "issuer": "", "birth_date": "19650606"}

    s = w.study("ct_head_current", rita, "20261101", "CT HEAD WITHOUT CONTRAST", "A1001")
    w.localizer(s, "ct_head_current_surview", 1)
    w.real_series(s, "ct_head_current_axial", CT_SRC, 12, "Head 5mm", 2, "CT", "HEAD")
    s = w.study("ct_head_prior", rita, "20250315", "CT HEAD", "A0901")
    w.real_series(s, "ct_head_prior_axial", CT_SRC, 12, "Head 5mm", 2, "CT", "HEAD")
    s = w.study("ct_chest_old", rita, "20240110", "CT CHEST", "A0701")
    w.real_series(s, "ct_chest_soft", CT_SRC, 12, "Thorax soft 5mm", 2, "CT", "CHEST")
    w.real_series(s, "ct_chest_lung", CT_SRC, 12, "Thorax lung 5mm", 3, "CT", "CHEST")
    s = w.study("ct_head_ancient", rita, "20100101", "CT HEAD", "A0101")
    w.real_series(s, "ct_head_ancient_axial", CT_SRC, 6, "Head 5mm", 2, "CT", "HEAD")
    s = w.study("mr_brain", rita, "20260901", "MR BRAIN", "A1000")
    w.real_series(s, "mr_brain_t1", MR_T1_SRC, 12, "T1 MPRAGE 3D", 3, "MR", "HEAD", subsample=2)
    w.real_series(s, "mr_brain_t2", MR_EPI_SRC, 8, "Ax T2 FSE", 4, "MR", "HEAD", subsample=1)
    w.real_series(s, "mr_brain_flair", MR_EPI_SRC, 8, "Ax T2 FLAIR", 5, "MR", "HEAD", subsample=1)
    w.real_series(s, "mr_brain_dwi", MR_EPI_SRC, 8, "DWI TRACE b1000", 6, "MR", "HEAD", subsample=1)
    w.real_series(s, "mr_brain_adc", MR_EPI_SRC, 8, "DWI ADC", 7, "MR", "HEAD", subsample=1)
    s = w.study("ct_head_other_person", other_person, "20260101", "CT HEAD", "B0001")
    w.real_series(s, "ct_head_other_axial", CT_SRC, 6, "Head 5mm", 2, "CT", "HEAD")
    s = w.study("ct_head_possible", rita_elsewhere, "20230101", "CT HEAD", "C0001")
    w.real_series(s, "ct_head_possible_axial", CT_SRC, 6, "Head 5mm", 2, "CT", "HEAD")

    s = w.study("ct_abdomen_current", abdo, "20261102", "CT ABDOMEN PELVIS WITH CONTRAST", "D0002")
    w.real_series(s, "ct_abdomen_current_axial", CT_SRC, 12, "Abdomen 5mm", 2, "CT", "ABDOMEN", contrast="IOPAMIDOL")
    s = w.study("ct_abdomen_prior", abdo, "20260502", "CT ABDOMEN", "D0001")
    # Scanned 30 mm further along the table (and shifted in plane): another frame of reference
    # that only a registration links (the same anatomy, slice for slice, 6 slices apart in z).
    w.real_series(s, "ct_abdomen_prior_axial", CT_SRC, 12, "Abdomen 5mm", 2, "CT", "ABDOMEN", contrast="IOPAMIDOL",
                  shift=ABDOMEN_PRIOR_SHIFT)

    for key, date in (("cr_chest_current", "20261103"), ("cr_chest_prior", "20251103")):
        s = w.study(key, chest, date, "XR CHEST 2 VIEWS", "E" + date)
        w.projection(s, key + "_pa", 1, "CR", "CHEST", "PA", "", "Chest PA", 1)
        w.projection(s, key + "_lat", 2, "CR", "CHEST", "LL", "", "Chest lateral", 2)

    for key, date in (("mg_current", "20261104"), ("mg_prior", "20251104")):
        s = w.study(key, mammo, date, "MAMMO SCREENING BILATERAL", "F" + date)
        for number, (side, view) in enumerate((("R", "CC"), ("L", "CC"), ("R", "MLO"), ("L", "MLO")), start=1):
            w.projection(s, "%s_%s%s" % (key, side.lower(), view.lower()), number, "MG", "BREAST", view, side,
                         side + " " + view, number)

    w.studies["ct_abdomen_prior"]["shift_mm"] = list(ABDOMEN_PRIOR_SHIFT)
    (out / "studies.json").write_text(json.dumps(w.studies, indent=1, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
