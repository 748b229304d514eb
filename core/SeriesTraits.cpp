#include "core/SeriesTraits.h"

#include "core/DicomHeaderReader.h"
#include "core/internal/BoundedLoad.h"
#include "core/internal/DatasetText.h"
#include "core/internal/DatasetValues.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace lb::core {

namespace {

constexpr Uint32 kMaxLoadedValueBytes = 4096;

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::vector<std::string> splitValues(const std::string& text)
{
    std::vector<std::string> values;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\\', start);
        if (end == std::string::npos) end = text.size();
        std::string value = text.substr(start, end - start);
        while (!value.empty() && value.back() == ' ') value.pop_back();
        while (!value.empty() && value.front() == ' ') value.erase(value.begin());
        if (!value.empty()) values.push_back(upper(value));
        start = end + 1;
    }
    return values;
}

std::optional<std::array<double, 6>> parseOrientation(const std::string& text)
{
    std::array<double, 6> values{};
    const char* cursor = text.c_str();
    for (size_t i = 0; i < values.size(); ++i) {
        char* end = nullptr;
        values[i] = std::strtod(cursor, &end);
        if (end == cursor || !std::isfinite(values[i])) return std::nullopt;
        cursor = end;
        while (*cursor == ' ' || *cursor == '\\') ++cursor;
    }
    return values;
}

// Enhanced objects keep the orientation in the functional groups.
std::string orientationText(DcmDataset& dataset, internal::DatasetText& text)
{
    std::string value = text.get(DCM_ImageOrientationPatient);
    if (!value.empty()) return value;
    for (const DcmTagKey& groups : {DCM_SharedFunctionalGroupsSequence, DCM_PerFrameFunctionalGroupsSequence})
        if (DcmItem* group = internal::sequenceItem(&dataset, groups))
            if (DcmItem* plane = internal::sequenceItem(group, DCM_PlaneOrientationSequence)) {
                value = text.get(*plane, DCM_ImageOrientationPatient);
                if (!value.empty()) return value;
            }
    return {};
}

std::optional<double> thicknessOf(DcmDataset& dataset, internal::DatasetText& text)
{
    std::string value = text.get(DCM_SliceThickness);
    for (const DcmTagKey& groups : {DCM_SharedFunctionalGroupsSequence, DCM_PerFrameFunctionalGroupsSequence}) {
        if (!value.empty()) break;
        if (DcmItem* group = internal::sequenceItem(&dataset, groups))
            if (DcmItem* measures = internal::sequenceItem(group, DCM_PixelMeasuresSequence))
                value = text.get(*measures, DCM_SliceThickness);
    }
    char* end = nullptr;
    const double thickness = std::strtod(value.c_str(), &end);
    if (value.empty() || end == value.c_str() || !std::isfinite(thickness) || thickness <= 0) return std::nullopt;
    return thickness;
}

} // namespace

std::string acquisitionPlane(const std::array<double, 6>& o)
{
    const std::array<double, 3> normal = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    const double length = std::sqrt(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2]);
    if (length < 1e-6) return {};
    const double cos30 = std::cos(30.0 * M_PI / 180.0);
    if (std::abs(normal[2]) / length >= cos30) return "axial";
    if (std::abs(normal[1]) / length >= cos30) return "coronal";
    if (std::abs(normal[0]) / length >= cos30) return "sagittal";
    return "oblique";
}

Result<SeriesTraits> readSeriesTraits(const std::filesystem::path& file)
{
    quietDcmtkLogging();
    DcmFileFormat fileFormat;
    const internal::BoundedLoad bounded = internal::loadBounded(fileFormat, file, kMaxLoadedValueBytes);
    if (!bounded.refused.empty()) return makeError(ErrorCode::Malformed, file.string(), bounded.refused);
    DcmDataset& dataset = *fileFormat.getDataset();
    if (bounded.condition.bad() && dataset.card() == 0)
        return makeError(ErrorCode::Malformed, file.string(), std::string("unreadable DICOM: ") + bounded.condition.text());
    internal::DatasetText text(dataset);

    SeriesTraits traits;
    traits.modality = upper(text.get(DCM_Modality));
    traits.description = text.get(DCM_SeriesDescription);
    traits.bodyPart = upper(text.get(DCM_BodyPartExamined));
    traits.protocolName = text.get(DCM_ProtocolName);
    traits.imageType = splitValues(text.get(DCM_ImageType));
    traits.sliceThickness = thicknessOf(dataset, text);
    traits.contrast = !text.get(DCM_ContrastBolusAgent).empty();
    if (auto orientation = parseOrientation(orientationText(dataset, text))) traits.orientation = acquisitionPlane(*orientation);
    traits.viewPosition = upper(text.get(DCM_ViewPosition));
    traits.laterality = upper(text.get(DCM_ImageLaterality));
    if (traits.laterality.empty()) traits.laterality = upper(text.get(DCM_Laterality));
    return traits;
}

} // namespace lb::core
