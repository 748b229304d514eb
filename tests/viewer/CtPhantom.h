#pragma once
// The Philips CT head phantom of tests/data as one volume (512x512x28), for the viewer tests.
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"

namespace lb::test {

// `series`: S2010_axial_5mm (28 axial slices) or S1000_localizer (one lateral scout image), the
// same frame of reference.
inline std::shared_ptr<const core::Volume> ctPhantom(const std::string& series = "S2010_axial_5mm")
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(testData() / "ct_philips_ingenuity_phantom" / series))
        if (file.filename() != "oracle.json" && file.filename() != "DIRFILE") files.push_back(file);
    auto loaded = core::assembleVolumes(files);
    return loaded.ok() && !loaded->volumes.empty() ? loaded->volumes.front() : nullptr;
}

} // namespace lb::test
