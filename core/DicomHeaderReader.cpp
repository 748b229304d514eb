#include "core/DicomHeaderReader.h"

#include "core/internal/BoundedLoad.h"
#include "core/internal/DatasetText.h"
#include "core/internal/DatasetValues.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <charconv>
#include <cstring>
#include <mutex>
#include <system_error>

namespace lb::core {

namespace {

// Values longer than this stay on disk; DCMTK loads them only if asked (we never do for pixels).
constexpr Uint32 kMaxLoadedValueBytes = 4096;

std::optional<int> parseInteger(const std::string& text)
{
    const char* begin = text.data();
    const char* end = begin + text.size();
    while (begin < end && *begin == ' ') ++begin;
    if (begin < end && *begin == '+') ++begin;
    int value = 0;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin) return std::nullopt;
    return value;
}

// Decimal strings (DS) parsed from their text, which also covers values stored as UN.
template <size_t N>
std::optional<std::array<double, N>> readDoubles(DcmItem& item, const DcmTagKey& tag, internal::DatasetText& text)
{
    const std::string value = text.get(item, tag);
    if (value.empty()) return std::nullopt;
    std::array<double, N> values{};
    const char* cursor = value.c_str();
    for (size_t i = 0; i < N; ++i) {
        char* end = nullptr;
        values[i] = std::strtod(cursor, &end);
        if (end == cursor || !std::isfinite(values[i])) return std::nullopt;
        cursor = end;
        while (*cursor == ' ') ++cursor;
        if (i + 1 < N) {
            if (*cursor != '\\') return std::nullopt;
            ++cursor;
        }
    }
    return values;
}

// Enhanced multi-frame objects keep geometry in the functional groups, not at the top level.
void readFunctionalGroupGeometry(DcmDataset& dataset, InstanceInfo& instance, internal::DatasetText& text)
{
    DcmItem* perFrame = internal::sequenceItem(&dataset, DCM_PerFrameFunctionalGroupsSequence);
    DcmItem* shared = internal::sequenceItem(&dataset, DCM_SharedFunctionalGroupsSequence);
    for (DcmItem* group : {perFrame, shared}) {
        if (!instance.imagePosition)
            if (DcmItem* plane = internal::sequenceItem(group, DCM_PlanePositionSequence))
                instance.imagePosition = readDoubles<3>(*plane, DCM_ImagePositionPatient, text);
        if (!instance.imageOrientation)
            if (DcmItem* orientation = internal::sequenceItem(group, DCM_PlaneOrientationSequence))
                instance.imageOrientation = readDoubles<6>(*orientation, DCM_ImageOrientationPatient, text);
    }
}

bool hasPixelData(DcmDataset& dataset)
{
    return dataset.tagExists(DCM_PixelData) || dataset.tagExists(DCM_FloatPixelData)
        || dataset.tagExists(DCM_DoubleFloatPixelData);
}

} // namespace

void quietDcmtkLogging()
{
    static std::once_flag once;
    std::call_once(once, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
}

Result<DicomHeader> readDicomHeader(const std::filesystem::path& file)
{
    quietDcmtkLogging();
    const std::string name = file.string();
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (ec) return makeError(ErrorCode::Io, name, ec.message());
    if (!std::filesystem::is_regular_file(status)) return makeError(ErrorCode::Io, name, "not a regular file");
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return makeError(ErrorCode::Io, name, ec.message());
    if (size == 0) return makeError(ErrorCode::NotDicom, name, "empty file (0 bytes)");

    auto fileFormat = std::make_unique<DcmFileFormat>();
    const internal::BoundedLoad bounded = internal::loadBounded(*fileFormat, file, kMaxLoadedValueBytes);
    if (!bounded.refused.empty()) return makeError(ErrorCode::Malformed, name, bounded.refused);
    OFCondition loaded = bounded.condition;
    std::vector<std::string> readWarnings;
    if (!bounded.vrMismatch.empty()) readWarnings.push_back(bounded.vrMismatch);
    DcmDataset& dataset = *fileFormat->getDataset();
    DcmMetaInfo& meta = *fileFormat->getMetaInfo();
    const bool hasMeta = meta.card() > 0;

    internal::DatasetText text(dataset);
    internal::DatasetText metaText(meta);
    DicomHeader header;
    header.specificCharacterSet = text.characterSet();
    header.warnings = readWarnings;

    InstanceInfo& instance = header.instance;
    instance.sopInstanceUid = text.get(DCM_SOPInstanceUID);
    if (instance.sopInstanceUid.empty()) instance.sopInstanceUid = metaText.get(DCM_MediaStorageSOPInstanceUID);
    instance.sopClassUid = text.get(DCM_SOPClassUID);
    if (instance.sopClassUid.empty()) instance.sopClassUid = metaText.get(DCM_MediaStorageSOPClassUID);

    if (loaded.bad() && instance.sopInstanceUid.empty()) {
        if (!hasMeta)
            return makeError(ErrorCode::NotDicom, name, "not a DICOM file (no DICM preamble, and the bytes do not parse as a DICOM dataset)");
        return makeError(ErrorCode::Malformed, name, std::string("unreadable DICOM: ") + loaded.text());
    }
    if (!hasMeta && instance.sopInstanceUid.empty() && instance.sopClassUid.empty())
        return makeError(ErrorCode::NotDicom, name, "not a DICOM file (no DICM preamble and no SOP identifiers)");
    if (loaded.bad())
        header.warnings.push_back(std::string("damaged after the identifying attributes: ") + loaded.text());

    header.study.instanceUid = text.get(DCM_StudyInstanceUID);
    header.series.instanceUid = text.get(DCM_SeriesInstanceUID);
    if (instance.sopInstanceUid.empty())
        return makeError(ErrorCode::MissingAttribute, name, "missing SOPInstanceUID (0008,0018)");
    if (header.study.instanceUid.empty())
        return makeError(ErrorCode::MissingAttribute, name, "missing StudyInstanceUID (0020,000D)");
    if (header.series.instanceUid.empty())
        return makeError(ErrorCode::MissingAttribute, name, "missing SeriesInstanceUID (0020,000E)");

    PatientInfo& patient = header.patient;
    patient.name = text.get(DCM_PatientName);
    patient.id = text.get(DCM_PatientID);
    patient.issuer = text.get(DCM_IssuerOfPatientID);
    patient.birthDate = text.get(DCM_PatientBirthDate);
    patient.sex = text.get(DCM_PatientSex);

    StudyInfo& study = header.study;
    study.date = text.get(DCM_StudyDate);
    study.time = text.get(DCM_StudyTime);
    study.description = text.get(DCM_StudyDescription);
    study.accessionNumber = text.get(DCM_AccessionNumber);
    study.referringPhysician = text.get(DCM_ReferringPhysicianName);
    study.modalitiesInStudy = text.get(DCM_ModalitiesInStudy);

    SeriesInfo& series = header.series;
    series.number = parseInteger(text.get(DCM_SeriesNumber));
    series.modality = text.get(DCM_Modality);
    series.description = text.get(DCM_SeriesDescription);
    series.bodyPart = text.get(DCM_BodyPartExamined);

    instance.number = parseInteger(text.get(DCM_InstanceNumber));
    instance.transferSyntaxUid = metaText.get(DCM_TransferSyntaxUID);
    if (instance.transferSyntaxUid.empty() || !hasMeta) {
        const DcmXfer original(dataset.getOriginalXfer());
        if (original.getXfer() != EXS_Unknown) instance.transferSyntaxUid = original.getXferID();
    }
    instance.rows = internal::unsignedShort(dataset, DCM_Rows);
    instance.columns = internal::unsignedShort(dataset, DCM_Columns);
    instance.hasPixelData = hasPixelData(dataset);
    if (instance.hasPixelData) instance.frames = parseInteger(text.get(DCM_NumberOfFrames)).value_or(1);
    if (instance.frames < 0) {
        header.warnings.push_back("negative NumberOfFrames");
        instance.frames = 0;
    }
    instance.imagePosition = readDoubles<3>(dataset, DCM_ImagePositionPatient, text);
    instance.imageOrientation = readDoubles<6>(dataset, DCM_ImageOrientationPatient, text);
    if (!instance.imagePosition || !instance.imageOrientation) readFunctionalGroupGeometry(dataset, instance, text);

    if (text.conversionProblem()) header.warnings.push_back(*text.conversionProblem());
    return header;
}

} // namespace lb::core
