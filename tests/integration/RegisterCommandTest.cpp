// `lightbox-cli register`: the JSON contract (matrix of 16 numbers, row-major, moving -> fixed;
// metric, iterations, seconds) on the MR T1 and a copy of it moved by a known transform
// (tests/data/derived/make_moved_pair.py), the moving series given by its UID in the cache. The
// error is measured at the corners and the centre of the fixed volume as `volume --json`
// describes it; the oracle is the transform the script applied. Failures name the input.
#include "tests/integration/CliTestSupport.h"

#include <cmath>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

using Matrix = std::array<double, 16>;
using Vec = std::array<double, 3>;

Matrix matrixOf(const nlohmann::json& numbers)
{
    Matrix m{};
    for (int i = 0; i < 16; ++i) m[i] = numbers.at(i).get<double>();
    return m;
}

Vec transformPoint(const Matrix& m, const Vec& p)
{
    Vec q{};
    for (int r = 0; r < 3; ++r) q[r] = m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3];
    return q;
}

// R^T, -R^T t
Matrix inverseRigid(const Matrix& m)
{
    Matrix inverse{};
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) inverse[r * 4 + c] = m[c * 4 + r];
        inverse[r * 4 + 3] = -(m[r] * m[3] + m[4 + r] * m[7] + m[8 + r] * m[11]);
    }
    inverse[15] = 1;
    return inverse;
}

// The largest error at the 8 corners and the error at the centre of the volume `stack`
// (`volume --json`): a fixed point p truly lies at truth^-1 p in the moving series, which the
// registration sends to found(truth^-1 p).
std::pair<double, double> errors(const nlohmann::json& stack, const Matrix& truth, const Matrix& found)
{
    auto point = [&](double i, double j, double k) {
        Vec p{};
        const double index[3] = {i, j, k};
        for (int c = 0; c < 3; ++c) {
            p[c] = stack["origin"][c].get<double>();
            for (int a = 0; a < 3; ++a) p[c] += stack["direction"][a * 3 + c].get<double>() * stack["spacing"][a].get<double>() * index[a];
        }
        return p;
    };
    const Matrix toMoving = inverseRigid(truth);
    auto error = [&](const Vec& p) {
        const Vec back = transformPoint(found, transformPoint(toMoving, p));
        return std::sqrt(std::pow(back[0] - p[0], 2) + std::pow(back[1] - p[1], 2) + std::pow(back[2] - p[2], 2));
    };
    const double n[3] = {stack["dims"][0].get<double>() - 1, stack["dims"][1].get<double>() - 1, stack["dims"][2].get<double>() - 1};
    double corners = 0;
    for (int c = 0; c < 8; ++c) corners = std::max(corners, error(point((c & 1) ? n[0] : 0, (c & 2) ? n[1] : 0, (c & 4) ? n[2] : 0)));
    return {corners, error(point(n[0] / 2, n[1] / 2, n[2] / 2))};
}

TEST(RegisterCommand, MovedMrT1ByUidInTheCacheGivesTheKnownMatrixWithinTolerance)
{
    TempDir temp;
    const auto fixed = testData() / "mr_ge_pioneer_t1_mprage_3d";
    const auto moved = temp / "moved";
    ASSERT_EQ(runPythonFile(sourceDir() / "tests/data/derived/make_moved_pair.py", {fixed.string(), moved.string()}).exitCode, 0);
    const Matrix truth = matrixOf(readJson(moved / "transform.json")["moving_to_fixed"]);
    cliJson(temp / "cache", "import " + shellQuote(moved.string()));
    const std::string movingUid = cliJson(temp / "cache", "volume " + shellQuote(moved.string())).at(0).value("series_uid", "");
    ASSERT_FALSE(movingUid.empty());
    const auto fixedStack = cliJson(temp / "cache", "volume " + shellQuote(fixed.string())).at(0);

    const auto result = cliJson(temp / "cache", "register " + shellQuote(fixed.string()) + " " + shellQuote(movingUid));
    ASSERT_TRUE(result.contains("matrix") && result["matrix"].is_array()) << result.dump();
    ASSERT_EQ(result["matrix"].size(), 16u);
    for (const auto& v : result["matrix"]) ASSERT_TRUE(v.is_number());
    EXPECT_TRUE(result["metric"].is_number());
    EXPECT_TRUE(result["iterations"].is_number_integer());
    EXPECT_GT(result["iterations"].get<int>(), 0);
    EXPECT_GT(result["seconds"].get<double>(), 0);
    EXPECT_EQ(result["moving"].value("series_uid", ""), movingUid);
    const Matrix found = matrixOf(result["matrix"]);
    EXPECT_EQ(found[12], 0);
    EXPECT_EQ(found[13], 0);
    EXPECT_EQ(found[14], 0);
    EXPECT_EQ(found[15], 1);
    const auto [corners, centre] = errors(fixedStack, truth, found);
    EXPECT_LE(corners, 1.5);
    EXPECT_LT(centre, 1.0);
    std::printf("register MR T1 pair: corners %.3f mm, centre %.3f mm, %.2f s\n", corners, centre, result["seconds"].get<double>());

    // Without --json: a readable summary with the same matrix.
    const auto text = cli(temp / "cache", "register " + shellQuote(fixed.string()) + " " + shellQuote(movingUid));
    EXPECT_EQ(text.exitCode, 0);
    EXPECT_NE(text.out.find("moving " + movingUid + " -> fixed"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("rotation "), std::string::npos) << text.out;
}

TEST(RegisterCommand, FailuresSayWhichInputAndWhy)
{
    TempDir temp;
    const auto fixed = testData() / "mr_ge_pioneer_t1_mprage_3d";
    const auto oneImage = fixed / "i152.MRDC.5";
    auto result = cliWithErrors(temp / "cache", "register " + shellQuote(fixed.string()) + " " + shellQuote(oneImage.string()));
    EXPECT_EQ(result.exitCode, 1) << result.out;
    EXPECT_NE(result.out.find("moving series: not a volume: 1 slice(s)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(oneImage.string()), std::string::npos) << result.out;

    result = cliWithErrors(temp / "cache", "register " + shellQuote(oneImage.string()) + " " + shellQuote(fixed.string()));
    EXPECT_EQ(result.exitCode, 1) << result.out;
    EXPECT_NE(result.out.find("fixed series: not a volume"), std::string::npos) << result.out;

    result = cliWithErrors(temp / "cache", "register " + shellQuote(fixed.string()) + " 1.2.3.4.5.6.7.8");
    EXPECT_EQ(result.exitCode, 5) << result.out;
    EXPECT_NE(result.out.find("moving input 1.2.3.4.5.6.7.8"), std::string::npos) << result.out;

    result = cliWithErrors(temp / "cache", "register " + shellQuote(fixed.string()));
    EXPECT_EQ(result.exitCode, 2) << result.out;
}

} // namespace
} // namespace lb::test
