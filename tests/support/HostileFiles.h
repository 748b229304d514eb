#pragma once
// DICOM files made byte by byte to attack a parser: a valid instance (patient, study, series
// and SOP identifiers, so every reader gets past identification) that also carries a sequence
// nested `depth` times. ~6,000 levels (~200 KB) overflowed DCMTK's recursive parser.
#include <filesystem>
#include <string>

namespace lb::test {

enum class Nesting {
    ExplicitUndefined, // explicit VR LE, SQ of undefined length, items of undefined length
    ExplicitDefined,   // explicit VR LE, every length given
    ImplicitDefined,   // implicit VR LE: only the dictionary says (0008,1115) is a sequence
    ExplicitAsUn,      // explicit VR LE, the sequence stored as UN of undefined length
    BigEndian,         // explicit VR big endian, undefined lengths
    Deflated,          // deflated explicit VR LE (the nesting is inside the deflate stream)
};

// Writes the file and returns its path. `uidSuffix` keeps SOP/series/study UIDs unique per file.
std::filesystem::path writeNestedSequenceFile(const std::filesystem::path& file, int depth, Nesting nesting,
                                              const std::string& uidSuffix = "1");

} // namespace lb::test
