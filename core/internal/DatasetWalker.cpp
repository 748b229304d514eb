#include "core/internal/DatasetWalker.h"

#include <dcmtk/dcmdata/dctag.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb::core::internal {
namespace {

constexpr uint32_t kUndefinedLength = 0xFFFFFFFF;
constexpr uint32_t kItem = 0xFFFEE000;
constexpr uint32_t kItemDelimiter = 0xFFFEE00D;
constexpr uint32_t kSequenceDelimiter = 0xFFFEE0DD;
constexpr uint32_t kPixelData = 0x7FE00010;

std::string tagText(uint32_t tag)
{
    char text[16];
    std::snprintf(text, sizeof text, "(%04X,%04X)", tag >> 16, tag & 0xFFFF);
    return text;
}

bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool hasShortLength(char a, char b);

// The header of an explicit VR element, as DCMTK reads it (measured with dcmdump): a known VR
// decides; an unknown VR of two capitals is read with the long form (reserved bytes and a
// 32-bit length), any other two bytes with a 16-bit length.
size_t explicitHeaderBytes(char a, char b)
{
    if (!isUpper(a) || !isUpper(b)) return 8;
    return hasShortLength(a, b) ? 8 : 12;
}

// VRs with a 16-bit length in explicit VR (PS3.5 7.1.2). Anything else, unknown VRs included,
// is read as DCMTK reads it: two reserved bytes and a 32-bit length.
bool hasShortLength(char a, char b)
{
    static constexpr const char* kShort[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
                                             "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
    for (const char* vr : kShort)
        if (vr[0] == a && vr[1] == b) return true;
    return false;
}

class Walker {
public:
    Walker(std::string_view bytes, EncodedSyntax syntax) : m_bytes(bytes), m_syntax(syntax) {}

    std::string walk()
    {
        (void)walkElements(0, m_bytes.size(), 0, false, m_syntax);
        return m_problem;
    }

private:
    // Why the walk stopped early: a limit or a contradiction (refused), or the end of the bytes
    // (a truncated file: the rest is DCMTK's to judge).
    enum class Stop { None, Refused, Truncated };

    uint16_t u16(size_t at, const EncodedSyntax& syntax) const
    {
        const auto* p = reinterpret_cast<const unsigned char*>(m_bytes.data() + at);
        return syntax.bigEndian ? uint16_t(p[0] << 8 | p[1]) : uint16_t(p[1] << 8 | p[0]);
    }
    uint32_t u32(size_t at, const EncodedSyntax& syntax) const
    {
        const auto* p = reinterpret_cast<const unsigned char*>(m_bytes.data() + at);
        return syntax.bigEndian ? uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]
                                : uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
    }
    uint32_t tagAt(size_t at, const EncodedSyntax& syntax) const
    {
        return uint32_t(u16(at, syntax)) << 16 | u16(at + 2, syntax);
    }

    Stop refuse(std::string reason)
    {
        if (m_problem.empty()) m_problem = "Malformed: " + std::move(reason);
        return Stop::Refused;
    }

    Stop tooManyElements()
    {
        m_limitHit = true;
        return refuse("more than " + std::to_string(kMaxElements) + " data elements");
    }

    struct Header {
        uint32_t tag = 0;
        uint32_t length = 0;
        size_t headerBytes = 8;
        bool sequence = false;     // SQ (declared, or from the dictionary in implicit VR)
        bool unknownVr = false;    // UN, or no VR known: may hold a sequence in implicit VR LE
    };

    // Reads the element header at `at`; false when the bytes end inside it.
    bool readHeader(size_t at, size_t end, const EncodedSyntax& syntax, Header& header) const
    {
        if (at + 8 > end) return false;
        header.tag = tagAt(at, syntax);
        const char a = m_bytes[at + 4], b = m_bytes[at + 5];
        if (syntax.explicitVr && (header.tag >> 16) != 0xFFFE) {
            header.sequence = a == 'S' && b == 'Q';
            header.unknownVr = a == 'U' && b == 'N';
            header.headerBytes = explicitHeaderBytes(a, b);
            if (at + header.headerBytes > end) return false;
            header.length = header.headerBytes == 12 ? u32(at + 8, syntax) : u16(at + 6, syntax);
            return true;
        }
        // Implicit VR: the dictionary says which tags are sequences.
        header.length = u32(at + 4, syntax);
        if ((header.tag >> 16) != 0xFFFE) {
            const DcmEVR vr = DcmTag(uint16_t(header.tag >> 16), uint16_t(header.tag & 0xFFFF)).getEVR();
            header.sequence = vr == EVR_SQ;
            header.unknownVr = vr == EVR_UN || vr == EVR_UNKNOWN || vr == EVR_UNKNOWN2B;
        }
        return true;
    }

    // The elements of a data set or item from `at`, up to `end` or (untilDelimiter) an item
    // delimiter. `next` receives the offset after what was walked.
    Stop walkElements(size_t at, size_t end, int depth, bool untilDelimiter, const EncodedSyntax& syntax,
                      size_t* next = nullptr)
    {
        while (at < end) {
            Header header;
            if (!readHeader(at, end, syntax, header)) return Stop::Truncated;
            if (header.tag == kItemDelimiter || header.tag == kSequenceDelimiter) {
                if (next) *next = at + 8;
                return Stop::None; // DCMTK ends the item here too
            }
            if (++m_elements > kMaxElements) return tooManyElements();
            const size_t value = at + header.headerBytes;
            if (header.length == kUndefinedLength) {
                size_t after = 0;
                Stop stop = header.tag == kPixelData && !header.sequence
                    ? walkFragments(value, end, syntax, &after)
                    : walkSequence(value, end, depth + 1, true, header.unknownVr ? EncodedSyntax{false, false} : syntax, &after);
                if (stop != Stop::None) return stop;
                at = after;
                continue;
            }
            if (value + header.length > m_bytes.size()) return Stop::Truncated;
            if (value + header.length > end)
                return refuse("element " + tagText(header.tag) + " declares " + std::to_string(header.length)
                              + " bytes, more than its item holds");
            if (header.sequence) {
                if (Stop stop = walkSequence(value, value + header.length, depth + 1, false, syntax); stop != Stop::None)
                    return stop;
            } else if (header.unknownVr && header.length >= 8 && tagAt(value, {false, false}) == kItem) {
                // A sequence stored as UN (PS3.5 6.2.2: implicit VR LE inside). DCMTK may parse it;
                // its depth counts, its other oddities are DCMTK's to judge.
                const std::string before = m_problem;
                Stop stop = walkSequence(value, value + header.length, depth + 1, false, {false, false});
                if (stop == Stop::Refused && m_limitHit) return stop;
                m_problem = before;
            }
            at = value + header.length;
        }
        if (untilDelimiter) // no item delimiter before the end
            return end >= m_bytes.size() ? Stop::Truncated : refuse("an item of undefined length runs past its sequence");
        if (next) *next = at;
        return Stop::None;
    }

    // Items of a sequence, up to `end` or (undefinedLength) a sequence delimiter.
    Stop walkSequence(size_t at, size_t end, int depth, bool undefinedLength, const EncodedSyntax& syntax,
                      size_t* next = nullptr)
    {
        if (depth > kMaxSequenceDepth) {
            m_limitHit = true;
            return refuse("sequence nesting deeper than " + std::to_string(kMaxSequenceDepth));
        }
        while (at < end) {
            if (at + 8 > end) return Stop::Truncated;
            const uint32_t tag = tagAt(at, syntax);
            const uint32_t length = u32(at + 4, syntax);
            if (tag == kSequenceDelimiter) {
                if (next) *next = at + 8;
                return Stop::None;
            }
            if (tag != kItem) return refuse("a sequence holds " + tagText(tag) + " where an item should start");
            if (++m_elements > kMaxElements) return tooManyElements();
            const size_t content = at + 8;
            if (length == kUndefinedLength) {
                size_t after = 0;
                if (Stop stop = walkElements(content, end, depth, true, syntax, &after); stop != Stop::None) return stop;
                at = after;
                continue;
            }
            if (content + length > m_bytes.size()) return Stop::Truncated;
            if (content + length > end) return refuse("a sequence item declares more bytes than its sequence holds");
            if (Stop stop = walkElements(content, content + length, depth, false, syntax); stop != Stop::None) return stop;
            at = content + length;
        }
        if (undefinedLength) return Stop::Truncated; // no delimiter before the end
        if (next) *next = at;
        return Stop::None;
    }

    // Encapsulated pixel data: items of defined length up to a sequence delimiter.
    Stop walkFragments(size_t at, size_t end, const EncodedSyntax& syntax, size_t* next)
    {
        for (;;) {
            if (at + 8 > end) return Stop::Truncated;
            const uint32_t tag = tagAt(at, syntax);
            const uint32_t length = u32(at + 4, syntax);
            if (tag == kSequenceDelimiter) {
                *next = at + 8;
                return Stop::None;
            }
            if (tag != kItem || length == kUndefinedLength) {
                // Damaged fragments (seen in the wild, and DCMTK's codecs report them): the walk
                // goes on from here as elements, so nothing after them escapes it.
                *next = at;
                return Stop::None;
            }
            if (++m_elements > kMaxElements) return tooManyElements();
            if (at + 8 + length > end) return Stop::Truncated;
            at += 8 + length;
        }
    }

    std::string_view m_bytes;
    EncodedSyntax m_syntax;
    size_t m_elements = 0;
    bool m_limitHit = false; // a refusal for depth or count (never forgiven), not a contradiction
    std::string m_problem;
};

// Read-only mapping of a whole file; empty when it cannot be mapped (DCMTK reports why).
class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& file)
    {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat info {};
        if (::fstat(fd, &info) == 0 && info.st_size > 0) {
            void* data = ::mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (data != MAP_FAILED) {
                m_data = static_cast<const char*>(data);
                m_size = static_cast<size_t>(info.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile()
    {
        if (m_data) ::munmap(const_cast<char*>(m_data), m_size);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view bytes() const { return {m_data ? m_data : "", m_size}; }

private:
    const char* m_data = nullptr;
    size_t m_size = 0;
};

// Where the data set starts after the File Meta Information (group 0002, explicit VR LE), and
// the transfer syntax it declares.
struct MetaInfo {
    size_t datasetStart = 0;
    std::string transferSyntax;
};

MetaInfo readMeta(std::string_view bytes)
{
    // As DCMTK reads it: up to the end its group length (0002,0000) gives, whatever groups it
    // meets on the way (measured: an invalid (00e1,0002) inside is skipped, the transfer syntax
    // after it still counts); without a group length, while the group is 0002.
    MetaInfo meta;
    size_t at = 132;
    size_t end = bytes.size();
    bool byGroupLength = false;
    while (at + 8 <= end) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
        const uint16_t group = uint16_t(p[1] << 8 | p[0]);
        const uint16_t element = uint16_t(p[3] << 8 | p[2]);
        if (!byGroupLength && group != 0x0002) break;
        const size_t header = explicitHeaderBytes(char(p[4]), char(p[5]));
        if (at + header > end) break;
        const uint32_t length = header == 12 ? uint32_t(p[11]) << 24 | uint32_t(p[10]) << 16 | uint32_t(p[9]) << 8 | p[8]
                                             : uint32_t(uint16_t(p[7] << 8 | p[6]));
        if (length == kUndefinedLength || at + header + length > bytes.size()) break;
        if (group == 0x0002 && element == 0x0000 && at == 132 && length == 4) {
            const uint32_t groupLength = uint32_t(p[11]) << 24 | uint32_t(p[10]) << 16 | uint32_t(p[9]) << 8 | p[8];
            end = std::min(bytes.size(), at + header + 4 + groupLength);
            byGroupLength = true;
        }
        if (group == 0x0002 && element == 0x0010) {
            meta.transferSyntax.assign(bytes.data() + at + header, length);
            while (!meta.transferSyntax.empty() && (meta.transferSyntax.back() == '\0' || meta.transferSyntax.back() == ' '))
                meta.transferSyntax.pop_back();
        }
        at += header + length;
    }
    meta.datasetStart = at;
    return meta;
}

EncodedSyntax syntaxOf(const std::string& transferSyntax)
{
    if (transferSyntax == "1.2.840.10008.1.2") return {false, false};
    if (transferSyntax == "1.2.840.10008.1.2.2") return {true, true};
    return {true, false};
}

// A file without File Meta Information: guessed as DCMTK does, from the first element.
EncodedSyntax guessSyntax(std::string_view bytes)
{
    EncodedSyntax syntax;
    if (bytes.size() < 8) return syntax;
    syntax.explicitVr = isUpper(bytes[4]) && isUpper(bytes[5]);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    syntax.bigEndian = p[0] == 0 && p[1] != 0; // group 0x0008 written big endian: 00 08
    return syntax;
}

} // namespace

std::string checkEncodedDataset(std::string_view bytes, EncodedSyntax syntax)
{
    return Walker(bytes, syntax).walk();
}

std::string declaredTransferSyntax(const std::filesystem::path& file)
{
    MappedFile mapped(file);
    const std::string_view bytes = mapped.bytes();
    if (bytes.size() < 132 || bytes.substr(128, 4) != "DICM") return {};
    return readMeta(bytes).transferSyntax;
}

std::string checkDicomFile(const std::filesystem::path& file, bool otherVr)
{
    MappedFile mapped(file);
    const std::string_view bytes = mapped.bytes();
    EncodedSyntax syntax;
    size_t start = 0;
    if (bytes.size() >= 132 && bytes.substr(128, 4) == "DICM") {
        const MetaInfo meta = readMeta(bytes);
        start = meta.datasetStart;
        syntax = syntaxOf(meta.transferSyntax);
        // DCMTK parses the meta group as an item too: a sequence hidden there nests like any other.
        if (std::string problem = checkEncodedDataset(bytes.substr(132, start - 132), {true, false}); !problem.empty())
            return problem;
    } else {
        syntax = guessSyntax(bytes);
    }
    if (otherVr) syntax = {!syntax.explicitVr, false};
    std::string problem = checkEncodedDataset(bytes.substr(start), syntax);
    if (problem.empty() && !otherVr && start == 0 && !syntax.explicitVr) // DCMTK may guess otherwise
        problem = checkEncodedDataset(bytes, {true, syntax.bigEndian});
    return problem;
}

} // namespace lb::core::internal
