#include "core/MosaicTiles.h"

#include <cmath>

namespace lb::core {

std::vector<SeriesFrame> expandMosaicTiles(std::vector<SeriesFrame> frames)
{
    std::vector<SeriesFrame> out;
    out.reserve(frames.size());
    for (auto& frame : frames) {
        const int images = frame.mosaicImages;
        const int grid = images > 0 ? static_cast<int>(std::ceil(std::sqrt(static_cast<double>(images)))) : 0;
        const int gridRows = grid == 0 ? 0 : frame.uihGrid ? (images + grid - 1) / grid : grid;
        const bool ownTilePositions = images > 1 && frame.tilePositions.size() == static_cast<size_t>(images);
        const bool usable = frame.mosaic && images > 1 && grid > 0 && frame.rows % gridRows == 0 && frame.columns % grid == 0
            && frame.orientation && (ownTilePositions || (frame.position && frame.spacingBetweenSlices > 0));
        if (!usable) {
            out.push_back(std::move(frame));
            continue;
        }
        const auto& iop = *frame.orientation;
        const std::array<double, 3> row{iop[0], iop[1], iop[2]}, column{iop[3], iop[4], iop[5]};
        std::array<double, 3> normal{row[1] * column[2] - row[2] * column[1], row[2] * column[0] - row[0] * column[2],
                                     row[0] * column[1] - row[1] * column[0]};
        if (frame.csaSliceNormal) normal = *frame.csaSliceNormal;
        const int tileRows = frame.rows / gridRows, tileColumns = frame.columns / grid;
        std::array<double, 3> first{};
        if (frame.uihGrid) {
            if (frame.position) first = *frame.position; // the first tile's own position
        } else {
            const double shiftColumns = frame.pixelSpacing[1] * (frame.columns - tileColumns) / 2.0;
            const double shiftRows = frame.pixelSpacing[0] * (frame.rows - tileRows) / 2.0;
            for (int a = 0; a < 3; ++a) first[a] = (*frame.position)[a] + row[a] * shiftColumns + column[a] * shiftRows;
        }
        for (int t = 0; t < images; ++t) {
            SeriesFrame tile = frame;
            tile.mosaic = false;
            tile.tileIndex = t;
            tile.tileGrid = grid;
            tile.mosaicRows = frame.rows;
            tile.mosaicColumns = frame.columns;
            tile.rows = tileRows;
            tile.columns = tileColumns;
            std::array<double, 3> position{};
            for (int a = 0; a < 3; ++a) position[a] = first[a] + t * frame.spacingBetweenSlices * normal[a];
            tile.position = ownTilePositions ? frame.tilePositions[static_cast<size_t>(t)] : position;
            out.push_back(std::move(tile));
        }
    }
    return out;
}

} // namespace lb::core
