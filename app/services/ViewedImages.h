#pragma once
// Which images of each series were on screen in this session: a reader should know what was not
// looked at before closing a study. A slice counts when a viewport showed it in the series' own
// plane (a reformat shows no acquired image as such).
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lb::app {

class ViewedImages {
public:
    void noteShown(const std::string& seriesUid, int slice, int sliceCount);
    double fraction(const std::string& seriesUid) const; // 0..1; 0 when never shown
    bool seen(const std::string& seriesUid) const { return fraction(seriesUid) > 0; }

private:
    struct Series {
        int count = 0;
        std::set<int> slices;
    };
    std::map<std::string, Series> m_series;
};

} // namespace lb::app
