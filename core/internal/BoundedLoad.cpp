#include "core/internal/BoundedLoad.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <unistd.h>
#include <string>

namespace lb::core::internal {

bool declaresDeflatedTransferSyntax(const std::filesystem::path& file)
{
    // The meta header is small and comes first; its TransferSyntaxUID is plain text there.
    constexpr std::streamsize kSniffBytes = 8192;
    std::ifstream in(file, std::ios::binary);
    std::string head(static_cast<size_t>(kSniffBytes), '\0');
    in.read(head.data(), kSniffBytes);
    head.resize(static_cast<size_t>(in.gcount()));
    if (head.size() < 132 || head.compare(128, 4, "DICM") != 0) return false;
    const std::string deflated = "1.2.840.10008.1.2.1.99";
    for (size_t at = head.find(deflated); at != std::string::npos; at = head.find(deflated, at + 1)) {
        const size_t end = at + deflated.size();
        if (end >= head.size() || !(head[end] == '.' || (head[end] >= '0' && head[end] <= '9'))) return true; // not a longer UID
    }
    return false;
}

namespace {

// A deflated dataset is inflated here, at most this big: far above any real header, and the
// bound on what a hostile stream can make us allocate.
constexpr size_t kMaxInflatedBytes = 256u << 20;

// Inflates raw deflate data (PS3.5 A.5: no zlib header) with a hard size limit.
bool inflateBounded(const std::string& compressed, std::string& out)
{
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return false;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    out.clear();
    int status = Z_OK;
    while (status == Z_OK) {
        if (out.size() >= kMaxInflatedBytes) break;
        const size_t before = out.size();
        out.resize(std::min(kMaxInflatedBytes, before + (1u << 20)));
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        stream.avail_out = static_cast<uInt>(out.size() - before);
        status = inflate(&stream, Z_NO_FLUSH);
        out.resize(out.size() - stream.avail_out);
        if (status == Z_BUF_ERROR && stream.avail_in == 0) break; // truncated stream: keep what we have
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END || status == Z_OK || status == Z_BUF_ERROR;
}

// Reads the meta header with DCMTK, inflates the rest ourselves (bounded) and parses the
// dataset from memory, where DCMTK checks every declared length against the bytes left.
OFCondition loadDeflated(DcmFileFormat& fileFormat, const std::filesystem::path& file, Uint32 maxLoadedValueBytes,
                         std::shared_ptr<const std::filesystem::path>& inflatedFile)
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
    if (!inflateBounded(compressed, inflated)) return makeOFCondition(0, 1, OF_error, "corrupt deflate stream");

    // Parse the inflated dataset from a private temporary file: on a file, DCMTK checks every
    // declared length against the bytes left and leaves long values on disk, as for any file.
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/lightbox-inflated-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) return makeOFCondition(0, 2, OF_error, "cannot create a temporary file to inflate into");
    const bool written = ::write(fd, inflated.data(), inflated.size()) == static_cast<ssize_t>(inflated.size());
    ::close(fd);
    inflatedFile = std::shared_ptr<const std::filesystem::path>(new std::filesystem::path(pattern),
                                                                [](const std::filesystem::path* path) {
                                                                    ::unlink(path->c_str());
                                                                    delete path;
                                                                });
    if (!written) return makeOFCondition(0, 3, OF_error, "cannot write the inflated dataset");
    return fileFormat.getDataset()->loadFile(OFFilename(pattern.c_str()), EXS_LittleEndianExplicit, EGL_noChange,
                                             maxLoadedValueBytes);
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
        result.condition = loadDeflated(fileFormat, file, maxLoadedValueBytes, result.inflatedFile);
    } else {
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
