#pragma once
// Registration of a prior's series onto the current study's (render/RigidRegistration.h), as a
// job on the board, with the result kept per pair of series in the cache
// (<cache>/registrations/, private to the user): a comparison opened again links at once.
#include "app/services/Jobs.h"
#include "core/Result.h"
#include "core/Volume.h"

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

namespace lb::app {

struct SeriesAlignment {
    std::array<double, 16> movingToFixed{}; // row-major; moving patient coordinates -> fixed ones
    double metric = 0;
    double seconds = 0;
    bool fromCache = false;
};

class SeriesRegistration {
public:
    SeriesRegistration(std::filesystem::path cacheRoot, JobBoard& jobs);

    std::optional<SeriesAlignment> cached(const std::string& fixedSeriesUid, const std::string& movingSeriesUid) const;
    // The cached result at once (no job; returns ""), else a registration job (its id).
    // `onFinished` runs on the board's thread.
    QString align(std::shared_ptr<const core::Volume> fixed, std::shared_ptr<const core::Volume> moving,
                  std::function<void(const core::Result<SeriesAlignment>&)> onFinished);

private:
    std::filesystem::path fileFor(const std::string& fixedSeriesUid, const std::string& movingSeriesUid) const;
    void keep(const std::string& fixedSeriesUid, const std::string& movingSeriesUid, const SeriesAlignment& alignment) const;
    std::filesystem::path m_folder;
    JobBoard& m_jobs;
};

} // namespace lb::app
