#pragma once
// The Philips CT head phantom of ../shared/testdata as one volume (512x512x28), for the viewer tests.
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"

namespace lb::test {

inline std::shared_ptr<const core::Volume> ctPhantom()
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(sharedTestData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm"))
        if (file.filename() != "oracle.json" && file.filename() != "DIRFILE") files.push_back(file);
    auto loaded = core::assembleVolumes(files);
    return loaded.ok() && !loaded->volumes.empty() ? loaded->volumes.front() : nullptr;
}

} // namespace lb::test
