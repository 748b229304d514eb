#include "core/ContentHash.h"

#include <gtest/gtest.h>
#include <random>
#include <set>
#include <vector>

namespace lb::test {
namespace {

TEST(ContentHash, SameBytesInAnyChunkingGiveTheSameValue)
{
    std::vector<unsigned char> bytes(10007);
    std::mt19937 random(7);
    for (auto& b : bytes) b = static_cast<unsigned char>(random());
    core::ContentHash whole;
    whole.update(bytes.data(), bytes.size());
    for (size_t chunk : {1u, 3u, 7u, 8u, 13u, 4096u}) {
        core::ContentHash pieces;
        for (size_t at = 0; at < bytes.size(); at += chunk) pieces.update(bytes.data() + at, std::min(chunk, bytes.size() - at));
        EXPECT_EQ(pieces.value(), whole.value()) << chunk;
    }
    EXPECT_EQ(whole.hex().size(), 16u);
}

TEST(ContentHash, OneFlippedBitOrOneMoreZeroChangesTheValue)
{
    std::vector<unsigned char> bytes(4096, 0);
    std::set<uint64_t> seen;
    core::ContentHash base;
    base.update(bytes.data(), bytes.size());
    seen.insert(base.value());
    for (size_t bit = 0; bit < bytes.size() * 8; bit += 97) {
        auto copy = bytes;
        copy[bit / 8] ^= static_cast<unsigned char>(1u << (bit % 8));
        core::ContentHash hash;
        hash.update(copy.data(), copy.size());
        EXPECT_TRUE(seen.insert(hash.value()).second) << bit;
    }
    core::ContentHash longer;
    bytes.push_back(0);
    longer.update(bytes.data(), bytes.size());
    EXPECT_TRUE(seen.insert(longer.value()).second);
}

} // namespace
} // namespace lb::test
