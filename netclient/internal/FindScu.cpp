#include "netclient/Find.h"

#include "netclient/internal/ClientAssociation.h"
#include "netclient/internal/DatasetKeys.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/diutil.h"

#include <chrono>
#include <cstdio>

namespace lb::netclient {
namespace {

// After C-CANCEL the peer owes us one final response; we wait this long for it, then abort.
constexpr int kCancelGraceSeconds = 2;

const char* dicomLevel(QueryLevel level)
{
    switch (level) {
    case QueryLevel::Patient: return "PATIENT";
    case QueryLevel::Study: return "STUDY";
    case QueryLevel::Series: return "SERIES";
    case QueryLevel::Image: return "IMAGE";
    }
    return "STUDY";
}

DcmDataset identifierFor(const FindQuery& query)
{
    DcmDataset identifier;
    internal::putKey(identifier, "QueryRetrieveLevel", dicomLevel(query.level));
    // We read answers as UTF-8 and say so; peers that ignore it answer in their own charset,
    // which the reader converts.
    internal::putKey(identifier, "SpecificCharacterSet", "ISO_IR 192");
    for (const std::string& keyword : returnKeys(query.level)) internal::putKey(identifier, keyword, "");
    auto put = [&](const char* keyword, const std::string& value) {
        if (!value.empty()) internal::putKey(identifier, keyword, value);
    };
    put("PatientName", query.patientName);
    put("PatientID", query.patientId);
    put("IssuerOfPatientID", query.issuerOfPatientId);
    put("PatientBirthDate", query.patientBirthDate);
    if (query.level == QueryLevel::Study) {
        put("StudyDate", query.studyDate);
        put("AccessionNumber", query.accessionNumber);
        put("StudyDescription", query.studyDescription);
        put("ModalitiesInStudy", query.modality);
    } else if (query.level == QueryLevel::Series) {
        put("Modality", query.modality);
    }
    if (query.level != QueryLevel::Patient) put("StudyInstanceUID", query.studyUid);
    if (query.level == QueryLevel::Image) put("SeriesInstanceUID", query.seriesUid);
    if (query.level == QueryLevel::Series) put("SeriesInstanceUID", query.seriesUid);
    return identifier;
}

std::string statusHex(DIC_US status)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04X", status);
    return text;
}

} // namespace

const char* queryLevelName(QueryLevel level)
{
    switch (level) {
    case QueryLevel::Patient: return "patient";
    case QueryLevel::Study: return "study";
    case QueryLevel::Series: return "series";
    case QueryLevel::Image: return "image";
    }
    return "study";
}

bool parseQueryLevel(const std::string& text, QueryLevel& out)
{
    for (QueryLevel level : {QueryLevel::Patient, QueryLevel::Study, QueryLevel::Series, QueryLevel::Image}) {
        if (text == queryLevelName(level)) {
            out = level;
            return true;
        }
    }
    return false;
}

const std::vector<std::string>& returnKeys(QueryLevel level)
{
    static const std::vector<std::string> patient = {
        "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "NumberOfPatientRelatedStudies"};
    static const std::vector<std::string> study = {
        "StudyInstanceUID", "PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex", "StudyDate",
        "StudyTime", "AccessionNumber", "StudyID", "StudyDescription", "ReferringPhysicianName",
        "ModalitiesInStudy", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances"};
    static const std::vector<std::string> series = {
        "StudyInstanceUID", "SeriesInstanceUID", "Modality", "SeriesNumber", "SeriesDescription",
        "BodyPartExamined", "SeriesDate", "SeriesTime", "NumberOfSeriesRelatedInstances"};
    static const std::vector<std::string> image = {
        "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID", "InstanceNumber", "NumberOfFrames"};
    switch (level) {
    case QueryLevel::Patient: return patient;
    case QueryLevel::Study: return study;
    case QueryLevel::Series: return series;
    case QueryLevel::Image: return image;
    }
    return study;
}

std::string FindMatch::value(const std::string& keyword) const
{
    for (const auto& [key, value] : attributes)
        if (key == keyword) return value;
    return {};
}

core::Result<FindReport> find(const LocalIdentity& local, const RemoteNode& node, const FindQuery& query,
                              const std::function<void(const FindMatch&)>& onMatch, const core::CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    const char* model = query.level == QueryLevel::Patient ? UID_FINDPatientRootQueryRetrieveInformationModel
                                                           : UID_FINDStudyRootQueryRetrieveInformationModel;
    auto association = internal::ClientAssociation::open(
        local, node,
        {{model, {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax}}});
    if (!association) return association.error();
    auto& link = *association.value();
    const T_ASC_PresentationContextID context = link.acceptedContext(model);

    DcmDataset identifier = identifierFor(query);
    T_DIMSE_Message request{};
    request.CommandField = DIMSE_C_FIND_RQ;
    T_DIMSE_C_FindRQ& find = request.msg.CFindRQ;
    find.MessageID = link.nextMessageId();
    find.DataSetType = DIMSE_DATASET_PRESENT;
    find.Priority = DIMSE_PRIORITY_MEDIUM;
    OFStandard::strlcpy(find.AffectedSOPClassUID, model, sizeof find.AffectedSOPClassUID);
    if (auto sent = link.send(context, request, &identifier); !sent) return sent.error();

    FindReport report;
    bool cancelSent = false;
    for (;;) {
        auto incoming = link.receiveCommand(cancelSent ? nullptr : cancel, cancelSent ? kCancelGraceSeconds : 0);
        if (!incoming) {
            if (incoming.error().code == core::ErrorCode::Cancelled) {
                DIMSE_sendCancelRequest(link.raw(), context, find.MessageID);
                cancelSent = true;
                report.cancelled = true;
                continue;
            }
            if (cancelSent) break; // the peer ignored C-CANCEL: aborted, and that is the end of it
            return incoming.error();
        }
        const T_DIMSE_Message& message = incoming->message;
        if (message.CommandField != DIMSE_C_FIND_RSP) {
            link.abort();
            return link.error(core::ErrorCode::Malformed, "expected a C-FIND response, got command " +
                                                              statusHex(message.CommandField));
        }
        const T_DIMSE_C_FindRSP& response = message.msg.CFindRSP;
        if (response.DataSetType != DIMSE_DATASET_NULL) {
            auto dataset = link.receiveDataset(incoming->presentationContext);
            if (!dataset) return dataset.error();
            if (DICOM_PENDING_STATUS(response.DimseStatus) && !cancelSent) {
                FindMatch match;
                match.attributes = internal::readKeys(*dataset.value(), returnKeys(query.level));
                ++report.matches;
                if (onMatch) onMatch(match);
            }
        }
        if (DICOM_PENDING_STATUS(response.DimseStatus)) continue;
        if (response.DimseStatus == STATUS_FIND_Cancel_MatchingTerminatedDueToCancelRequest) {
            report.cancelled = true;
        } else if (response.DimseStatus != STATUS_Success && !cancelSent) {
            return link.error(core::ErrorCode::Io, std::string("C-FIND failed: ") +
                                                       DU_cfindStatusString(response.DimseStatus) + " (0x" +
                                                       statusHex(response.DimseStatus) + ")");
        }
        break;
    }
    (void)link.release();
    report.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace lb::netclient
