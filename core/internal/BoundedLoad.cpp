#include "core/internal/BoundedLoad.h"

#include "core/internal/DatasetWalker.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <zlib.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <unistd.h>

namespace lb::core::internal {

bool declaresDeflatedTransferSyntax(const std::filesystem::path& file)
{
    // The meta header parsed element by element, as DCMTK parses it: a substring search would
    // miss a UID followed by deflated bytes that happen to be digits, and DCMTK would then
    // inflate (without our bound, without the walk) what we never looked at.
    return declaredTransferSyntax(file) == "1.2.840.10008.1.2.1.99";
}

namespace {

// Inflates raw deflate data (PS3.5 A.5: no zlib header) with a hard size limit. False: corrupt,
// or (`tooBig`) larger than kMaxInflatedBytes; a truncated stream keeps what it gave.
bool inflateBounded(const std::string& compressed, std::string& out, bool& tooBig)
{
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return false;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    out.clear();
    int status = Z_OK;
    tooBig = false;
    while (status == Z_OK) {
        if (out.size() >= kMaxInflatedBytes) {
            tooBig = true;
            break;
        }
        const size_t before = out.size();
        out.resize(std::min(kMaxInflatedBytes, before + (1u << 20)));
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        stream.avail_out = static_cast<uInt>(out.size() - before);
        status = inflate(&stream, Z_NO_FLUSH);
        out.resize(out.size() - stream.avail_out);
        if (status == Z_BUF_ERROR && stream.avail_in == 0) break; // truncated stream: keep what we have
    }
    inflateEnd(&stream);
    if (tooBig) return false;
    return status == Z_STREAM_END || status == Z_OK || status == Z_BUF_ERROR;
}

// An unnamed file (O_TMPFILE): it has no name to leave behind when the process is killed, and
// it is gone when the last descriptor closes. DCMTK opens it again through /proc/self/fd.
std::shared_ptr<const std::filesystem::path> unnamedFileWith(const std::string& bytes)
{
    const char* tmp = std::getenv("TMPDIR");
    const int fd = ::open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return nullptr;
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n <= 0) {
            ::close(fd);
            return nullptr;
        }
        written += static_cast<size_t>(n);
    }
    return std::shared_ptr<const std::filesystem::path>(
        new std::filesystem::path("/proc/self/fd/" + std::to_string(fd)), [fd](const std::filesystem::path* path) {
            ::close(fd);
            delete path;
        });
}

// Reads the meta header with DCMTK, inflates the rest ourselves (bounded) and walks it, then
// lets DCMTK parse it from a file: on a file DCMTK checks every declared length against the
// bytes left and leaves long values unread (from memory it would allocate whatever a length
// claims).
OFCondition loadDeflated(DcmFileFormat& fileFormat, const std::filesystem::path& file, Uint32 maxLoadedValueBytes,
                         BoundedLoad& result)
{
    DcmInputFileStream metaStream(OFFilename(file.c_str()));
    if (metaStream.status().bad()) return metaStream.status();
    DcmMetaInfo& meta = *fileFormat.getMetaInfo();
    meta.transferInit();
    OFCondition status = meta.read(metaStream, EXS_Unknown, EGL_noChange, maxLoadedValueBytes);
    meta.transferEnd();
    if (status.bad()) return status;

    std::ifstream in(file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(metaStream.tell()));
    const std::string compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string inflated;
    bool tooBig = false;
    if (!inflateBounded(compressed, inflated, tooBig)) {
        result.refused = tooBig ? "Malformed: deflated data set inflates to more than "
                                      + std::to_string(kMaxInflatedBytes >> 20) + " MiB"
                                : "Malformed: corrupt deflate stream";
        return makeOFCondition(0, 1, OF_error, result.refused.c_str());
    }
    result.refused = checkEncodedDataset(inflated, {true, false});
    if (!result.refused.empty()) return makeOFCondition(0, 2, OF_error, result.refused.c_str());
    result.inflatedFile = unnamedFileWith(inflated);
    if (!result.inflatedFile) return makeOFCondition(0, 3, OF_error, "cannot write the inflated data set");
    return fileFormat.getDataset()->loadFile(OFFilename(result.inflatedFile->c_str()), EXS_LittleEndianExplicit,
                                             EGL_noChange, maxLoadedValueBytes);
}

// Re-reads the dataset (after the meta header) with the other VR encoding than declared.
OFCondition rereadDatasetWithOtherVr(const std::filesystem::path& file, DcmFileFormat& fileFormat, Uint32 maxLoadedValueBytes)
{
    DcmMetaInfo& meta = *fileFormat.getMetaInfo();
    DcmElement* groupLengthElement = nullptr;
    Uint32 groupLength = 0;
    if (meta.findAndGetElement(DCM_FileMetaInformationGroupLength, groupLengthElement).bad() || groupLengthElement == nullptr
        || groupLengthElement->getLengthField() != 4 || groupLengthElement->getUint32(groupLength).bad())
        return EC_IllegalCall;
    if (!checkDicomFile(file, true).empty()) return EC_IllegalCall; // over a limit read that way
    const DcmXfer declared(fileFormat.getDataset()->getOriginalXfer());
    const E_TransferSyntax other = declared.isExplicitVR() ? EXS_LittleEndianImplicit : EXS_LittleEndianExplicit;
    DcmInputFileStream stream(OFFilename(file.c_str()));
    if (stream.status().bad()) return stream.status();
    const offile_off_t offset = 128 + 4 + 12 + static_cast<offile_off_t>(groupLength);
    if (stream.skip(offset) != offset) return EC_StreamNotifyClient;
    DcmDataset& dataset = *fileFormat.getDataset();
    dataset.clear();
    dataset.transferInit();
    const OFCondition read = dataset.read(stream, other, EGL_noChange, maxLoadedValueBytes);
    dataset.transferEnd();
    return read;
}

} // namespace

BoundedLoad loadBounded(DcmFileFormat& fileFormat, const std::filesystem::path& file, Uint32 maxLoadedValueBytes)
{
    BoundedLoad result;
    const OFFilename name(file.c_str());
    if (declaresDeflatedTransferSyntax(file)) {
        result.deflated = true;
        result.condition = loadDeflated(fileFormat, file, maxLoadedValueBytes, result);
        return result;
    }
    result.refused = checkDicomFile(file);
    if (!result.refused.empty()) {
        result.condition = makeOFCondition(0, 4, OF_error, result.refused.c_str());
        return result;
    }
    {
        result.condition = fileFormat.loadFile(name, EXS_Unknown, EGL_noChange, maxLoadedValueBytes, ERM_autoDetect);
        if (fileFormat.getMetaInfo()->card() > 0 && !fileFormat.getDataset()->tagExists(DCM_StudyInstanceUID)) {
            const DcmXfer declared(fileFormat.getDataset()->getOriginalXfer());
            if (rereadDatasetWithOtherVr(file, fileFormat, maxLoadedValueBytes).good()
                && fileFormat.getDataset()->tagExists(DCM_StudyInstanceUID)) {
                result.condition = EC_Normal;
                result.vrMismatch = std::string("dataset is ") + (declared.isExplicitVR() ? "implicit" : "explicit")
                    + " VR although the file meta says " + declared.getXferName();
            } else { // not that quirk: read it again as it is
                result.condition = fileFormat.loadFile(name, EXS_Unknown, EGL_noChange, maxLoadedValueBytes, ERM_autoDetect);
            }
        }
    }
    return result;
}

} // namespace lb::core::internal
