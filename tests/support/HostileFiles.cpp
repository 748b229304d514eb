#include "tests/support/HostileFiles.h"

#include <cstdint>
#include <fstream>
#include <zlib.h>

namespace lb::test {
namespace {

struct Encoding {
    bool explicitVr = true;
    bool bigEndian = false;
};

class Writer {
public:
    explicit Writer(Encoding encoding) : m_encoding(encoding) {}

    void u16(std::string& out, uint16_t value) const
    {
        if (m_encoding.bigEndian) out += {char(value >> 8), char(value & 0xFF)};
        else out += {char(value & 0xFF), char(value >> 8)};
    }
    void u32(std::string& out, uint32_t value) const
    {
        if (m_encoding.bigEndian) {
            u16(out, uint16_t(value >> 16));
            u16(out, uint16_t(value & 0xFFFF));
        } else {
            u16(out, uint16_t(value & 0xFFFF));
            u16(out, uint16_t(value >> 16));
        }
    }
    // An element with a short value (text VRs: 16-bit length in explicit VR).
    std::string element(uint16_t group, uint16_t number, const char* vr, std::string value, char pad = ' ') const
    {
        if (value.size() % 2) value += pad;
        std::string out;
        u16(out, group);
        u16(out, number);
        if (m_encoding.explicitVr) {
            out += vr;
            u16(out, uint16_t(value.size()));
        } else {
            u32(out, uint32_t(value.size()));
        }
        return out + value;
    }
    std::string header(uint16_t group, uint16_t number, const char* vr, uint32_t length) const
    {
        std::string out;
        u16(out, group);
        u16(out, number);
        if (m_encoding.explicitVr && group != 0xFFFE) {
            out += vr;
            out += std::string(2, '\0');
        }
        u32(out, length);
        return out;
    }

private:
    Encoding m_encoding;
};

constexpr uint32_t kUndefined = 0xFFFFFFFF;

// (0008,1115) ReferencedSeriesSequence nested `depth` times; `vr` SQ or UN.
std::string nested(const Writer& writer, int depth, bool definedLengths, const char* vr)
{
    if (!definedLengths) {
        std::string open, close;
        const std::string sequence = writer.header(0x0008, 0x1115, vr, kUndefined);
        const std::string item = writer.header(0xFFFE, 0xE000, nullptr, kUndefined);
        const std::string itemEnd = writer.header(0xFFFE, 0xE00D, nullptr, 0);
        const std::string sequenceEnd = writer.header(0xFFFE, 0xE0DD, nullptr, 0);
        for (int i = 0; i < depth; ++i) {
            open += sequence + item;
            close += itemEnd + sequenceEnd;
        }
        return open + close;
    }
    std::string content;
    for (int i = 0; i < depth; ++i) {
        const std::string item = writer.header(0xFFFE, 0xE000, nullptr, uint32_t(content.size())) + content;
        content = writer.header(0x0008, 0x1115, vr, uint32_t(item.size())) + item;
    }
    return content;
}

// A sequence stored as UN of undefined length: inside, implicit VR LE (PS3.5 6.2.2).
std::string nestedAsUn(int depth)
{
    const Writer outer({true, false});
    const Writer inner({false, false});
    return outer.header(0x0008, 0x1115, "UN", kUndefined) + inner.header(0xFFFE, 0xE000, nullptr, kUndefined)
        + nested(inner, depth - 1, false, "SQ") + inner.header(0xFFFE, 0xE00D, nullptr, 0)
        + inner.header(0xFFFE, 0xE0DD, nullptr, 0);
}

std::string rawDeflate(const std::string& data)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, uLong(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

} // namespace

std::filesystem::path writeNestedSequenceFile(const std::filesystem::path& file, int depth, Nesting nesting,
                                              const std::string& uidSuffix)
{
    const bool bigEndian = nesting == Nesting::BigEndian;
    const bool explicitVr = nesting != Nesting::ImplicitDefined;
    const bool defined = nesting == Nesting::ExplicitDefined || nesting == Nesting::ImplicitDefined;
    const char* transferSyntax = nesting == Nesting::ImplicitDefined ? "1.2.840.10008.1.2"
        : bigEndian                                                 ? "1.2.840.10008.1.2.2"
        : nesting == Nesting::Deflated                              ? "1.2.840.10008.1.2.1.99"
                                                                    : "1.2.840.10008.1.2.1";
    const std::string root = "1.2.826.0.1.3680043.10.1234.99.";
    const std::string sopClass = "1.2.840.10008.5.1.4.1.1.7";
    const std::string sop = root + "3." + uidSuffix;

    const Writer data({explicitVr, bigEndian});
    std::string dataset = data.element(0x0008, 0x0016, "UI", sopClass, '\0')
        + data.element(0x0008, 0x0018, "UI", sop, '\0') + data.element(0x0008, 0x0060, "CS", "OT")
        + (nesting == Nesting::ExplicitAsUn ? nestedAsUn(depth) : nested(data, depth, defined, "SQ"))
        + data.element(0x0010, 0x0010, "PN", "HOSTILE^NESTING") + data.element(0x0010, 0x0020, "LO", "NEST" + uidSuffix)
        + data.element(0x0020, 0x000D, "UI", root + "1." + uidSuffix, '\0')
        + data.element(0x0020, 0x000E, "UI", root + "2." + uidSuffix, '\0');
    if (nesting == Nesting::Deflated) dataset = rawDeflate(dataset);

    const Writer meta({true, false});
    std::string metaBody = meta.header(0x0002, 0x0001, "OB", 2) + std::string("\0\1", 2)
        + meta.element(0x0002, 0x0002, "UI", sopClass, '\0') + meta.element(0x0002, 0x0003, "UI", sop, '\0')
        + meta.element(0x0002, 0x0010, "UI", transferSyntax, '\0')
        + meta.element(0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.10.1234.99", '\0');
    std::string groupLength;
    meta.u16(groupLength, 0x0002);
    meta.u16(groupLength, 0x0000);
    groupLength += "UL";
    meta.u16(groupLength, 4);
    meta.u32(groupLength, uint32_t(metaBody.size()));

    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << std::string(128, '\0') << "DICM" << groupLength << metaBody << dataset;
    return file;
}

} // namespace lb::test
