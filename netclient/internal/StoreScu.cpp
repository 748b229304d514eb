#include "netclient/Send.h"

#include "netclient/internal/ClientAssociation.h"
#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmnet/diutil.h"

#include <chrono>
#include <map>
#include <set>

namespace lb::netclient {
namespace {

// 128 contexts per association, minus headroom.
constexpr size_t kMaxContexts = 120;

bool isUncompressed(const std::string& syntax)
{
    for (const char* plain : internal::uncompressedTransferSyntaxes())
        if (syntax == plain) return true;
    return false;
}

std::vector<std::string> syntaxesToPropose(const std::string& fileSyntax)
{
    if (!isUncompressed(fileSyntax)) return {fileSyntax};
    std::vector<std::string> syntaxes = {fileSyntax};
    for (const char* plain : {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax})
        if (fileSyntax != plain) syntaxes.push_back(plain);
    return syntaxes;
}

// Splits the items into runs whose (SOP class, transfer syntax) pairs fit one association.
std::vector<std::vector<const SendItem*>> batchesOf(const std::vector<SendItem>& items)
{
    std::vector<std::vector<const SendItem*>> batches(1);
    std::set<std::pair<std::string, std::string>> pairs;
    for (const SendItem& item : items) {
        auto pair = std::make_pair(item.sopClassUid, item.transferSyntaxUid);
        if (!pairs.count(pair) && pairs.size() == kMaxContexts) {
            batches.emplace_back();
            pairs.clear();
        }
        pairs.insert(pair);
        batches.back().push_back(&item);
    }
    return batches;
}

T_ASC_PresentationContextID contextFor(internal::ClientAssociation& link, const SendItem& item)
{
    if (auto exact = link.acceptedContext(item.sopClassUid, item.transferSyntaxUid)) return exact;
    if (!isUncompressed(item.transferSyntaxUid)) return 0;
    for (const char* plain : internal::uncompressedTransferSyntaxes())
        if (auto context = link.acceptedContext(item.sopClassUid, plain)) return context;
    return 0;
}

} // namespace

core::Result<SendReport> send(const LocalIdentity& local, const RemoteNode& node, const std::vector<SendItem>& items,
                              const SendOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    SendReport report;
    SendProgress progress;
    progress.total = static_cast<int>(items.size());
    auto advance = [&](uint64_t bytes) {
        ++progress.done;
        progress.bytes += bytes;
        if (options.onProgress) options.onProgress(progress);
    };

    for (const auto& batch : batchesOf(items)) {
        if (batch.empty()) continue;
        std::vector<internal::ContextProposal> contexts;
        std::set<std::pair<std::string, std::string>> proposed;
        for (const SendItem* item : batch)
            if (proposed.insert({item->sopClassUid, item->transferSyntaxUid}).second)
                contexts.push_back({item->sopClassUid, syntaxesToPropose(item->transferSyntaxUid)});
        auto association = internal::ClientAssociation::open(local, node, contexts);
        if (!association) {
            if (report.sent == 0 && report.failures.empty()) return association.error();
            for (const SendItem* item : batch) report.failures.push_back({item->sopInstanceUid, association.error().reason});
            continue;
        }
        auto& link = *association.value();
        bool linkLost = false;
        std::string lostReason;
        for (const SendItem* item : batch) {
            if (options.cancel && options.cancel->isCancelled()) {
                report.cancelled = true;
                break;
            }
            if (linkLost) {
                report.failures.push_back({item->sopInstanceUid, lostReason});
                advance(0);
                continue;
            }
            const T_ASC_PresentationContextID context = contextFor(link, *item);
            if (context == 0) {
                report.failures.push_back({item->sopInstanceUid, "the peer accepts neither the SOP class " +
                                                                     item->sopClassUid + " nor the transfer syntax " +
                                                                     item->transferSyntaxUid});
                advance(0);
                continue;
            }
            std::error_code sizeError;
            const auto size = std::filesystem::file_size(item->file, sizeError);
            T_DIMSE_C_StoreRQ request{};
            request.MessageID = link.nextMessageId();
            OFStandard::strlcpy(request.AffectedSOPClassUID, item->sopClassUid.c_str(), sizeof request.AffectedSOPClassUID);
            OFStandard::strlcpy(request.AffectedSOPInstanceUID, item->sopInstanceUid.c_str(),
                                sizeof request.AffectedSOPInstanceUID);
            request.DataSetType = DIMSE_DATASET_PRESENT;
            request.Priority = DIMSE_PRIORITY_MEDIUM;
            T_DIMSE_C_StoreRSP response{};
            DcmDataset* detail = nullptr;
            OFCondition condition = DIMSE_storeUser(link.raw(), context, &request, item->file.c_str(), nullptr, nullptr,
                                                    nullptr, DIMSE_NONBLOCKING, std::max(1, node.dimseTimeoutSeconds),
                                                    &response, &detail, nullptr, sizeError ? 0 : static_cast<long>(size));
            delete detail;
            if (condition.bad()) {
                const bool fileProblem = condition == DIMSE_SENDFAILED ? false : !std::filesystem::exists(item->file);
                report.failures.push_back({item->sopInstanceUid, fileProblem ? "cannot read " + item->file.string()
                                                                             : internal::conditionText(condition)});
                advance(0);
                if (!fileProblem) {
                    linkLost = true;
                    lostReason = "not sent: the association was lost (" + internal::conditionText(condition) + ")";
                    link.abort();
                }
                continue;
            }
            const DIC_US status = response.DimseStatus;
            if (status == STATUS_Success || DICOM_WARNING_STATUS(status)) {
                ++report.sent;
                if (status != STATUS_Success) ++report.warnings;
                report.bytes += sizeError ? 0 : size;
            } else {
                report.failures.push_back({item->sopInstanceUid, std::string("refused: ") + DU_cstoreStatusString(status)});
            }
            advance(sizeError ? 0 : size);
        }
        if (report.cancelled) break;
    }
    report.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace lb::netclient
