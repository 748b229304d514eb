#include "app/services/ViewedImages.h"

#include <algorithm>

namespace lb::app {

void ViewedImages::noteShown(const std::string& seriesUid, int slice, int sliceCount)
{
    if (seriesUid.empty() || sliceCount <= 0 || slice < 0 || slice >= sliceCount) return;
    Series& series = m_series[seriesUid];
    series.count = std::max(series.count, sliceCount);
    series.slices.insert(slice);
}

double ViewedImages::fraction(const std::string& seriesUid) const
{
    auto found = m_series.find(seriesUid);
    if (found == m_series.end() || found->second.count == 0) return 0;
    return static_cast<double>(found->second.slices.size()) / found->second.count;
}

} // namespace lb::app
