// lightbox-cli register FIXED_SERIES_UID|PATH MOVING_SERIES_UID|PATH [--fixed-stack N] [--moving-stack N]
// Rigid registration of the moving series onto the fixed one (render/RigidRegistration.h): the
// 4x4 matrix that maps the moving series' patient coordinates to the fixed series'.
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/InterruptCancels.h"
#include "app/cli/SeriesInput.h"
#include "core/VolumeAssembler.h"
#include "render/RigidRegistration.h"

#include <cmath>
#include <cstdio>

namespace lb::app::cli {
namespace {

QJsonObject describe(const std::string& input, const core::Volume& volume)
{
    const auto& g = volume.geometry();
    return QJsonObject{{"input", qs(input)},
                       {"series_uid", qs(volume.seriesUid)},
                       {"modality", qs(volume.modality)},
                       {"dims", QJsonArray{g.dims[0], g.dims[1], g.dims[2]}},
                       {"spacing", QJsonArray{g.spacing[0], g.spacing[1], g.spacing[2]}}};
}

// The rotation angle (degrees) of the matrix's upper 3x3 and the length of its translation.
std::pair<double, double> rotationAndShift(const std::array<double, 16>& m)
{
    const double trace = m[0] + m[5] + m[10];
    const double angle = std::acos(std::clamp((trace - 1) / 2, -1.0, 1.0)) * 180 / M_PI;
    return {angle, std::sqrt(m[3] * m[3] + m[7] * m[7] + m[11] * m[11])};
}

void printSummary(const std::string& fixed, const std::string& moving, const render::RigidRegistrationResult& result)
{
    std::printf("moving %s -> fixed %s (patient coordinates, LPS mm):\n", terminalSafe(moving).c_str(), terminalSafe(fixed).c_str());
    for (int r = 0; r < 4; ++r)
        std::printf("  %12.6f %12.6f %12.6f %12.4f\n", result.movingToFixed[r * 4], result.movingToFixed[r * 4 + 1],
                    result.movingToFixed[r * 4 + 2], result.movingToFixed[r * 4 + 3]);
    const auto [angle, shift] = rotationAndShift(result.movingToFixed);
    std::printf("rotation %.2f degrees, translation %.2f mm\nmetric %.6f (Mattes mutual information), %d iterations, %.2f s\n", angle,
                shift, result.metric, result.iterations, result.seconds);
}

std::optional<int> stackOption(const CliOptions& options, const char* name, bool& bad)
{
    auto text = options.value(name);
    if (!text) return std::nullopt;
    auto value = parseInteger(*text);
    if (!value) bad = true;
    return value;
}

} // namespace

int runRegister(const CliOptions& options)
{
    bool badStack = false;
    const auto fixedStack = stackOption(options, "fixed-stack", badStack), movingStack = stackOption(options, "moving-stack", badStack);
    if (options.arguments.size() != 2 || badStack)
        return fail("usage: register FIXED_SERIES_UID|PATH MOVING_SERIES_UID|PATH [--fixed-stack N] [--moving-stack N]", kExitUsage);
    const std::string& fixedInput = options.arguments[0];
    const std::string& movingInput = options.arguments[1];
    int exitCode = kExitOk;
    auto fixed = loadStackOf(options, fixedInput, fixedStack, exitCode);
    if (!fixed) return fail("fixed input " + fixedInput + " could not be loaded (above)", exitCode);
    auto moving = loadStackOf(options, movingInput, movingStack, exitCode);
    if (!moving) return fail("moving input " + movingInput + " could not be loaded (above)", exitCode);

    core::CancelToken cancel;
    InterruptCancels interrupt(cancel);
    auto result = render::registerRigid(*fixed, *moving, &cancel);
    if (!result) {
        if (result.error().code == core::ErrorCode::Cancelled) return fail("registration cancelled", kExitIncomplete);
        // registerRigid names the volume it refuses ("fixed series: ..."); other failures concern both.
        const std::string& reason = result.error().reason;
        if (reason.rfind("fixed ", 0) == 0) return fail(reason + " (" + fixedInput + ")", kExitFailure);
        if (reason.rfind("moving ", 0) == 0) return fail(reason + " (" + movingInput + ")", kExitFailure);
        return fail(reason + " (fixed " + fixedInput + ", moving " + movingInput + ")", kExitFailure);
    }
    if (options.json) {
        QJsonArray matrix;
        for (double v : result->movingToFixed) matrix.append(v);
        printJson(QJsonObject{{"matrix", matrix},
                              {"metric", result->metric},
                              {"iterations", result->iterations},
                              {"seconds", result->seconds},
                              {"fixed", describe(fixedInput, *fixed)},
                              {"moving", describe(movingInput, *moving)}});
    } else {
        printSummary(fixedInput, movingInput, *result);
    }
    return kExitOk;
}

} // namespace lb::app::cli
