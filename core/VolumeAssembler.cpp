#include "core/VolumeAssembler.h"

#include "core/DicomHeaderReader.h"
#include "core/MosaicTiles.h"
#include "core/PixelDecoder.h"
#include "core/SeriesFrameReader.h"
#include "core/SliceSorter.h"
#include "core/StackSplitter.h"
#include "core/internal/ColourFrame.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace lb::core {

namespace {

int threadCount(const VolumeLoadOptions& options, size_t tasks)
{
    const int cores = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(cores), tasks)));
}

// Runs task(i) for i in [0, count) on `threads` threads.
void parallelFor(size_t count, int threads, const std::function<void(size_t)>& task)
{
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) task(i);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
}

// "I140 (instance 14)": the file's name and, when known, its instance number.
std::string describe(const VolumeLoadOptions& options, const std::filesystem::path& file, std::optional<int> instance)
{
    if (options.describeFile) return options.describeFile(file);
    return file.filename().string() + (instance ? " (instance " + std::to_string(*instance) + ")" : "");
}

bool isInteger(double value) { return std::abs(value - std::round(value)) < 1e-9; }

PixelType widestNeededType(const FrameStack& stack);
std::pair<double, double> storedRange(const SeriesFrame& f);

// Real 16-bit CTs declare a range (e.g. signed 16 bits plus intercept -1024) their values never
// use; try int16 first and widen only when a value does not fit (the stack is then decoded
// again). The types to try, narrowest first.
std::vector<PixelType> candidateTypes(const FrameStack& stack)
{
    const PixelType needed = widestNeededType(stack);
    std::vector<PixelType> candidates;
    const bool narrowBits = std::all_of(stack.frames.begin(), stack.frames.end(), [](const SeriesFrame& f) { return f.bitsStored <= 16; });
    if (needed == PixelType::Int32 && narrowBits) candidates.push_back(PixelType::Int16);
    candidates.push_back(needed);
    return candidates;
}

// The type every value the stored bits allow fits in.
PixelType widestNeededType(const FrameStack& stack)
{
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto& f : stack.frames) {
        if (!isInteger(f.rescaleSlope) || !isInteger(f.rescaleIntercept)) return PixelType::Float32;
        const auto [a, b] = storedRange(f);
        low = std::min(low, a);
        high = std::max(high, b);
    }
    if (low >= -32768 && high <= 32767) return PixelType::Int16;
    if (low >= 0 && high <= 65535) return PixelType::UInt16;
    if (low >= -2147483648.0 && high <= 2147483647.0) return PixelType::Int32;
    return PixelType::Float32;
}

// Stored sample -> modality value, honouring BitsStored/HighBit (garbage above is dropped)
// and the sign of PixelRepresentation. Branch-free per voxel so the loops vectorise.
struct StoredBits {
    int bitsAllocated, shift, bitsStored;
    bool isSigned;
};

template <typename Source>
inline int64_t storedValue(Source raw, const StoredBits& bits, uint64_t mask, uint64_t signBit)
{
    const uint64_t value = (static_cast<uint64_t>(raw) >> bits.shift) & mask;
    return static_cast<int64_t>(value ^ signBit) - static_cast<int64_t>(signBit); // sign-extends when signBit != 0
}

// Writes one slice; returns false when a value does not fit T (the caller then widens).
template <typename T, typename Source>
bool convertSlice(T* out, const Source* in, size_t voxels, const StoredBits& bits, double slope, double intercept)
{
    const uint64_t mask = bits.bitsStored >= 64 ? ~0ull : ((1ull << bits.bitsStored) - 1);
    const uint64_t signBit = bits.isSigned ? (1ull << (bits.bitsStored - 1)) : 0;
    if constexpr (std::is_floating_point_v<T>) {
        for (size_t i = 0; i < voxels; ++i)
            out[i] = static_cast<T>(static_cast<double>(storedValue(in[i], bits, mask, signBit)) * slope + intercept);
        return true;
    } else {
        const int64_t integerSlope = std::llround(slope), integerIntercept = std::llround(intercept);
        int64_t low = 0, high = 0;
        for (size_t i = 0; i < voxels; ++i) {
            const int64_t value = storedValue(in[i], bits, mask, signBit) * integerSlope + integerIntercept;
            low = std::min(low, value);
            high = std::max(high, value);
            out[i] = static_cast<T>(value);
        }
        return low >= std::numeric_limits<T>::min() && high <= std::numeric_limits<T>::max();
    }
}

template <typename T>
bool writeSlice(std::byte* destination, const uint8_t* source, size_t voxels, const StoredBits& bits, double slope,
                double intercept)
{
    T* out = reinterpret_cast<T*>(destination);
    switch (bits.bitsAllocated) {
    case 8: return convertSlice(out, source, voxels, bits, slope, intercept);
    case 16: return convertSlice(out, reinterpret_cast<const uint16_t*>(source), voxels, bits, slope, intercept);
    default: return convertSlice(out, reinterpret_cast<const uint32_t*>(source), voxels, bits, slope, intercept);
    }
}

// PALETTE COLOR: each stored index through the three tables (indices below the first mapped
// value take the first entry, above the table the last, as PS3.3 C.7.6.3.1.5 says).
void writePaletteSlice(Volume& volume, size_t slot, const uint8_t* source, size_t voxels, const StoredBits& bits,
                       const PaletteLut& lut)
{
    const uint64_t mask = (1ull << bits.bitsStored) - 1;
    const int64_t last = static_cast<int64_t>(lut.entries[0].size()) - 1;
    for (size_t i = 0; i < voxels; ++i) {
        uint32_t raw = 0;
        if (bits.bitsAllocated == 8) raw = source[i];
        else if (bits.bitsAllocated == 16) { uint16_t v; std::memcpy(&v, source + i * 2, 2); raw = v; }
        else std::memcpy(&raw, source + i * 4, 4);
        const int64_t index = std::clamp<int64_t>(static_cast<int64_t>((raw >> bits.shift) & mask) - lut.firstMapped, 0, last);
        for (int c = 0; c < 3; ++c) {
            const uint16_t value = lut.entries[c][static_cast<size_t>(index)];
            if (volume.pixelType() == PixelType::UInt8) reinterpret_cast<uint8_t*>(volume.data())[(slot * voxels + i) * 3 + c] = static_cast<uint8_t>(value);
            else reinterpret_cast<uint16_t*>(volume.data())[(slot * voxels + i) * 3 + c] = value;
        }
    }
}

// Sets `overflow` when a modality value did not fit the volume's type.
// The modality values the stored bits of a frame allow (lowest, highest).
std::pair<double, double> storedRange(const SeriesFrame& f)
{
    const double storedLow = f.signedPixels ? -std::ldexp(1.0, f.bitsStored - 1) : 0.0;
    const double storedHigh = f.signedPixels ? std::ldexp(1.0, f.bitsStored - 1) - 1 : std::ldexp(1.0, f.bitsStored) - 1;
    const double a = storedLow * f.rescaleSlope + f.rescaleIntercept, b = storedHigh * f.rescaleSlope + f.rescaleIntercept;
    return {std::min(a, b), std::max(a, b)};
}

template <typename T>
void fillWith(std::byte* destination, size_t count, double value)
{
    const double clamped = std::clamp(value, static_cast<double>(std::numeric_limits<T>::lowest()), static_cast<double>(std::numeric_limits<T>::max()));
    std::fill_n(reinterpret_cast<T*>(destination), count, static_cast<T>(clamped));
}

void fillSlice(Volume& volume, size_t slot, double value)
{
    std::byte* destination = volume.data() + slot * volume.sliceBytes();
    const size_t count = volume.sliceVoxels() * static_cast<size_t>(volume.components());
    if (volume.components() != 1) value = 0; // colour: black
    switch (volume.pixelType()) {
    case PixelType::UInt8: fillWith<uint8_t>(destination, count, value); break;
    case PixelType::Int16: fillWith<int16_t>(destination, count, value); break;
    case PixelType::UInt16: fillWith<uint16_t>(destination, count, value); break;
    case PixelType::Int32: fillWith<int32_t>(destination, count, value); break;
    case PixelType::UInt32: fillWith<uint32_t>(destination, count, value); break;
    case PixelType::Float32: fillWith<float>(destination, count, value); break;
    }
}

Status decodeStackInto(const SortedStack& sorted, Volume& volume, const VolumeLoadOptions& options, std::atomic<bool>& overflow,
                       std::vector<std::pair<const SeriesFrame*, std::string>>& problems)
{
    // Which (k, t) slot each frame of each file fills.
    std::map<std::filesystem::path, std::vector<std::pair<const SeriesFrame*, size_t>>> byFile;
    for (size_t k = 0; k < sorted.slices.size(); ++k)
        for (size_t t = 0; t < sorted.slices[k].size(); ++t) {
            const SeriesFrame* frame = sorted.slices[k][t];
            byFile[frame->file].push_back({frame, t * sorted.slices.size() + k});
        }
    std::vector<std::pair<std::filesystem::path, std::vector<std::pair<const SeriesFrame*, size_t>>>> tasks(byFile.begin(), byFile.end());
    const size_t sliceVoxels = volume.sliceVoxels();
    const size_t voxelBytes = bytesPerVoxel(volume.pixelType());
    std::mutex problemsMutex;
    std::vector<size_t> blank; // slots (t * K + k) left without pixels
    std::atomic<int> done{0};
    parallelFor(tasks.size(), threadCount(options, tasks.size()), [&](size_t index) {
        if (options.cancel && options.cancel->isCancelled()) return;
        const auto& [file, slots] = tasks[index];
        int frameCount = 0;
        for (const auto& [frame, slot] : slots) frameCount = std::max(frameCount, frame->frameIndex + 1);
        // Multi-frame files: decode all frames (NumberOfFrames), not only those used here.
        thread_local DecodedPixels decoded; // one reused buffer per thread
        SeriesFrame asStored = *slots.front().first; // a mosaic tile decodes its whole mosaic
        if (asStored.tileIndex >= 0) {
            asStored.rows = asStored.mosaicRows;
            asStored.columns = asStored.mosaicColumns;
        }
        if (auto ok = decodePixels(asStored, std::max(frameCount, 1), decoded); !ok) {
            std::lock_guard lock(problemsMutex);
            for (const auto& slot : slots) blank.push_back(slot.second);
            problems.push_back({slots.front().first, ok.error().reason});
            return;
        }
        if (slots.front().first->palette) {
            for (const auto& [frame, slot] : slots) {
                const StoredBits bits{decoded.bitsAllocated, frame->highBit + 1 - frame->bitsStored, frame->bitsStored, false};
                const uint8_t* source = decoded.bytes.data() + static_cast<size_t>(frame->frameIndex) * sliceVoxels * (decoded.bitsAllocated / 8);
                writePaletteSlice(volume, slot, source, sliceVoxels, bits, *frame->palette);
            }
            const int finished = done.fetch_add(1) + 1;
            if (options.onProgress) options.onProgress(finished, static_cast<int>(tasks.size()));
            return;
        }
        if (volume.components() == 3) {
            if (static_cast<size_t>(decoded.bitsAllocated / 8) != voxelBytes) {
                std::lock_guard lock(problemsMutex);
                for (const auto& slot : slots) blank.push_back(slot.second);
                problems.push_back({slots.front().first, std::to_string(decoded.bitsAllocated) + "-bit colour samples are not supported"});
                return;
            }
            for (const auto& [frame, slot] : slots) {
                const size_t frameBytes = sliceVoxels * 3 * static_cast<size_t>(decoded.bitsAllocated / 8);
                const bool planar = frame->planarConfiguration == 1 && decoded.colourModel == frame->photometricInterpretation;
                const size_t sourceFrameBytes = decoded.bytes.size() / static_cast<size_t>(std::max(1, decoded.frames));
                const size_t sourceOffset = static_cast<size_t>(frame->frameIndex) * sourceFrameBytes;
                if (auto problem = internal::colourFrameToRgb(decoded.bytes.data() + sourceOffset,
                                                              std::min(sourceFrameBytes, decoded.bytes.size() - std::min(sourceOffset, decoded.bytes.size())),
                                                              sliceVoxels, decoded.bitsAllocated / 8, decoded.colourModel, planar,
                                                              reinterpret_cast<uint8_t*>(volume.data() + slot * frameBytes))) {
                    std::lock_guard lock(problemsMutex);
                    blank.push_back(slot);
                    problems.push_back({frame, *problem});
                }
            }
            const int finished = done.fetch_add(1) + 1;
            if (options.onProgress) options.onProgress(finished, static_cast<int>(tasks.size()));
            return;
        }
        for (const auto& [frame, slot] : slots) {
            const StoredBits read{decoded.bitsAllocated, frame->highBit + 1 - frame->bitsStored, frame->bitsStored,
                                  frame->signedPixels};
            const size_t sampleBytes = static_cast<size_t>(decoded.bitsAllocated / 8);
            const uint8_t* source = decoded.bytes.data() + static_cast<size_t>(frame->frameIndex) * sliceVoxels * sampleBytes;
            thread_local std::vector<uint8_t> tile;
            if (frame->tileIndex >= 0) { // copy the tile out of its mosaic
                const size_t tileRow = static_cast<size_t>(frame->tileIndex / frame->tileGrid);
                const size_t tileColumn = static_cast<size_t>(frame->tileIndex % frame->tileGrid);
                const size_t rowBytes = static_cast<size_t>(frame->columns) * sampleBytes;
                const size_t mosaicRowBytes = static_cast<size_t>(frame->mosaicColumns) * sampleBytes;
                tile.resize(sliceVoxels * sampleBytes);
                for (size_t y = 0; y < static_cast<size_t>(frame->rows); ++y)
                    std::memcpy(tile.data() + y * rowBytes,
                                decoded.bytes.data() + (tileRow * frame->rows + y) * mosaicRowBytes + tileColumn * rowBytes, rowBytes);
                source = tile.data();
            }
            std::byte* destination = volume.data() + slot * sliceVoxels * voxelBytes;
            const double slope = frame->rescaleSlope, intercept = frame->rescaleIntercept;
            bool fits = true;
            switch (volume.pixelType()) {
            case PixelType::UInt8: fits = writeSlice<uint8_t>(destination, source, sliceVoxels, read, slope, intercept); break;
            case PixelType::Int16: fits = writeSlice<int16_t>(destination, source, sliceVoxels, read, slope, intercept); break;
            case PixelType::UInt16: fits = writeSlice<uint16_t>(destination, source, sliceVoxels, read, slope, intercept); break;
            case PixelType::Int32: fits = writeSlice<int32_t>(destination, source, sliceVoxels, read, slope, intercept); break;
            case PixelType::UInt32: fits = writeSlice<uint32_t>(destination, source, sliceVoxels, read, slope, intercept); break;
            case PixelType::Float32: fits = writeSlice<float>(destination, source, sliceVoxels, read, slope, intercept); break;
            }
            if (!fits) overflow = true;
        }
        const int finished = done.fetch_add(1) + 1;
        if (options.onProgress) options.onProgress(finished, static_cast<int>(tasks.size()));
    });
    if (options.cancel && options.cancel->isCancelled()) return makeError(ErrorCode::Cancelled, "", "volume loading cancelled");
    if (!problems.empty() && problems.size() == tasks.size())
        return makeError(ErrorCode::Malformed, volume.seriesUid,
                         "no slice could be decoded: " + problems.front().first->file.string() + ": " + problems.front().second);
    // A slice without pixels keeps its place (a gap is a gap) and shows the lowest value the
    // stored bits allow: black under any window, never a plausible grey.
    const std::pair<double, double> lowest = storedRange(*sorted.slices.front().front());
    for (size_t slot : blank) fillSlice(volume, slot, std::min(lowest.first, lowest.second));
    std::vector<int> blankSlices;
    for (size_t slot : blank) blankSlices.push_back(static_cast<int>(slot % sorted.slices.size()));
    std::sort(blankSlices.begin(), blankSlices.end());
    blankSlices.erase(std::unique(blankSlices.begin(), blankSlices.end()), blankSlices.end());
    volume.blankSlices = blankSlices;
    return {};
}

} // namespace

Result<LoadedVolumes> assembleVolumes(const std::vector<std::filesystem::path>& files, const VolumeLoadOptions& options)
{
    if (options.firstSlice != VolumeLoadOptions::FirstSlice::None && options.onFirstSlice && !files.empty()) {
        const size_t index = options.firstSlice == VolumeLoadOptions::FirstSlice::First ? 0 : files.size() / 2;
        VolumeLoadOptions single;
        single.threads = 1;
        single.markFirstSliceOnly = true;
        single.cancel = options.cancel;
        if (auto preview = assembleVolumes({files[index]}, single); preview && !preview->volumes.empty())
            options.onFirstSlice(preview->volumes.front());
    }
    LoadedVolumes result;
    std::vector<std::shared_ptr<Volume>> made; // to finish before they are handed out
    std::vector<Result<std::vector<SeriesFrame>>> perFile(files.size(), Result<std::vector<SeriesFrame>>(std::vector<SeriesFrame>{}));
    parallelFor(files.size(), threadCount(options, files.size()), [&](size_t i) { perFile[i] = readSeriesFrames(files[i]); });
    std::vector<SeriesFrame> frames;
    // Files that should have given an image but could not be read: reported on every stack
    // (a series' files are one acquisition), never dropped in silence.
    std::vector<std::string> unreadable;
    size_t imageFiles = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        if (!perFile[i]) {
            result.skippedFiles.push_back(perFile[i].error().message());
            const bool notAnImage = perFile[i].error().code == ErrorCode::Unsupported || perFile[i].error().code == ErrorCode::NotDicom;
            if (!notAnImage) {
                ++imageFiles;
                // The header may still say which instance this was (rare: read only for these files).
                auto header = readDicomHeader(files[i]);
                unreadable.push_back(describe(options, files[i], header ? header->instance.number : std::nullopt) + ": "
                                     + perFile[i].error().reason);
            }
            continue;
        }
        ++imageFiles;
        for (auto& frame : *perFile[i]) frames.push_back(std::move(frame));
    }
    if (frames.empty()) return makeError(ErrorCode::NotFound, files.empty() ? "" : files.front().string(), "no image frames to assemble");

    for (const FrameStack& stack : splitIntoStacks(expandMosaicTiles(std::move(frames)))) {
        const SeriesFrame& first = stack.frames.front();
        const bool palette = first.palette != nullptr;
        const bool colour = first.samplesPerPixel == 3 || palette;
        auto sorted = sortStack(stack);
        if (!sorted) {
            result.skippedFiles.push_back(sorted.error().message());
            continue;
        }
        const uint64_t voxels = static_cast<uint64_t>(sorted->geometry.dims[0]) * sorted->geometry.dims[1]
            * sorted->geometry.dims[2] * sorted->timePoints;
        const uint64_t physical = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
        if (voxels * 2 > physical / 4 * 3) {
            result.skippedFiles.push_back(first.file.string() + ": a volume of " + std::to_string(voxels) + " voxels does not fit in memory");
            continue;
        }
        std::shared_ptr<Volume> volume;
        std::vector<std::pair<const SeriesFrame*, std::string>> problems;
        const int colourBits = palette ? first.palette->bits : first.bitsAllocated;
        const PixelType colourType = colourBits == 8 ? PixelType::UInt8 : colourBits == 16 ? PixelType::UInt16 : PixelType::UInt32;
        const auto candidates = colour ? std::vector<PixelType>{colourType}
                                       : candidateTypes(stack);
        for (size_t attempt = 0; attempt < candidates.size(); ++attempt) {
            volume = std::make_shared<Volume>(sorted->geometry, sorted->timePoints, candidates[attempt], colour ? 3 : 1);
            if (volume->data() == nullptr)
                return makeError(ErrorCode::Io, first.seriesUid, "cannot allocate " + std::to_string(volume->byteSize()) + " bytes for the volume");
            volume->seriesUid = first.seriesUid;
            std::atomic<bool> overflow{false};
            problems.clear();
            if (auto decoded = decodeStackInto(*sorted, *volume, options, overflow, problems); !decoded) return decoded.error();
            if (!overflow || attempt + 1 == candidates.size()) break;
        }
        std::vector<std::string> unreadableHere = unreadable;
        for (const auto& [frame, reason] : problems)
            unreadableHere.push_back(describe(options, frame->file, frame->instanceNumber) + ": " + reason);
        if (!unreadableHere.empty()) {
            std::string line = std::to_string(unreadableHere.size()) + " of " + std::to_string(std::max(imageFiles, unreadableHere.size()))
                + " files unreadable: ";
            for (size_t i = 0; i < unreadableHere.size(); ++i) line += (i ? "; " : "") + unreadableHere[i];
            volume->warnings.push_back(line);
        }
        volume->firstSliceOnly = options.markFirstSliceOnly;
        volume->patientOrientation = first.patientOrientation;
        volume->pixelSpacingSource = first.pixelSpacingSource;
        volume->slicePositions = sorted->slicePositions;
        volume->hasPatientGeometry = sorted->hasPatientGeometry;
        volume->regularGrid = sorted->regular;
        volume->gapAfter = sorted->gapAfter;
        volume->gantryTiltDegrees = sorted->tiltDegrees;
        volume->photometricInterpretation = first.photometricInterpretation;
        volume->storedWindow = first.window;
        volume->storedVoiFunction = first.voiFunction;
        volume->storedVoiLut = first.voiLut;
        volume->frameOfReferenceUid = first.frameOfReferenceUid;
        volume->modality = first.modality;
        volume->sliceThicknessMm = first.sliceThickness;
        volume->warnings.insert(volume->warnings.begin(), sorted->warnings.begin(), sorted->warnings.end());
        if (first.mosaic)
            volume->warnings.insert(volume->warnings.begin(),
                                    std::string(first.uihGrid ? "UIH grid" : "Siemens mosaic")
                                        + " shown as 2D tiles, not de-mosaiced (tile count or positions unreadable): geometry is that of the whole image");
        if (first.localizer) volume->warnings.insert(volume->warnings.begin(), "localizer (ImageType LOCALIZER)");
        if (first.tileIndex >= 0 && first.uihGrid)
            volume->warnings.insert(volume->warnings.begin(),
                                    "UIH grid de-mosaiced: " + std::to_string(first.mosaicImages) + " slices from "
                                        + std::to_string(first.tileGrid) + " x " + std::to_string(first.mosaicRows / first.rows) + " tiles");
        else if (first.tileIndex >= 0)
            volume->warnings.insert(volume->warnings.begin(),
                                    "Siemens mosaic de-mosaiced: " + std::to_string(first.mosaicImages) + " slices from "
                                        + std::to_string(first.tileGrid) + " x " + std::to_string(first.tileGrid) + " tiles"
                                        + (first.csaSliceNormal ? "" : " (no CSA header: tiles assumed along row x column)"));
        if (first.photometricInterpretation == "PALETTE COLOR" && !palette)
            volume->warnings.push_back("PALETTE COLOR without readable lookup tables: shown as its indices");
        if (first.photometricInterpretation == "MONOCHROME1")
            volume->warnings.push_back("MONOCHROME1: low values are displayed bright");
        // Lossy pixels are not the acquired values: a reader must know before trusting fine detail.
        const auto lossyFrame = std::find_if(stack.frames.begin(), stack.frames.end(), [](const SeriesFrame& f) { return !f.lossy.empty(); });
        if (lossyFrame != stack.frames.end()) volume->warnings.push_back("lossy compressed (" + lossyFrame->lossy + "): not the original pixel values");
        made.push_back(volume);
        result.volumes.push_back(std::move(volume));
    }
    if (options.finishVolume)
        for (const auto& volume : made) options.finishVolume(*volume, result.skippedFiles);
    return result;
}

std::shared_ptr<const Volume> largestVolume(const LoadedVolumes& loaded)
{
    std::shared_ptr<const Volume> largest;
    for (const auto& volume : loaded.volumes)
        if (!largest || volume->voxelCount() > largest->voxelCount()) largest = volume;
    return largest;
}

} // namespace lb::core
