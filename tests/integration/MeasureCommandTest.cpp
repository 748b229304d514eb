// `lightbox-cli measure`: distances between oracle probes equal the distances of their
// patient positions (oracle.json lps_mm, from pydicom); region statistics equal numpy's over
// the same pixels of the same file (pydicom), rectangle areas equal pixels x pixel area.
#include "tests/integration/CliTestSupport.h"

#include <cmath>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(MeasureCommand, DistancesBetweenOracleProbesEqualThoseOfTheirPatientPositions)
{
    TempDir temp;
    int checked = 0;
    for (const std::string folder : {"ct_philips_ingenuity_phantom/S2010_axial_5mm", "mr_ge_pioneer_t1_mprage_3d",
                                     "mr_philips_achieva_epi_rescaled", "mr_siemens_vida_enhanced_multiframe"}) {
        const auto oracle = readJson(testData() / folder / "oracle.json");
        const auto& probes = oracle["series"][0]["pixel_stats"]["probes_volume0"];
        for (size_t p = 1; p < probes.size(); ++p) {
            const auto& a = probes[0];
            const auto& b = probes[p];
            auto voxel = [](const nlohmann::json& probe) {
                return std::to_string(probe["ijk"][0].get<int>()) + "," + std::to_string(probe["ijk"][1].get<int>()) + "," +
                       std::to_string(probe["ijk"][2].get<int>());
            };
            double expected = 0;
            for (int c = 0; c < 3; ++c)
                expected += std::pow(a["lps_mm"][c].get<double>() - b["lps_mm"][c].get<double>(), 2);
            expected = std::sqrt(expected);
            const auto result = cliJson(temp / "cache", "measure " + shellQuote((testData() / folder).string()) +
                                                            " --distance " + voxel(a) + ":" + voxel(b));
            // lps_mm in the oracle is rounded to 1e-3 mm.
            EXPECT_NEAR(result.at(0).value("mm", -1.0), expected, 5e-3) << folder << " " << a.dump() << " " << b.dump();
            ++checked;
        }
    }
    EXPECT_EQ(checked, 16);
}

TEST(MeasureCommand, RegionStatisticsEqualNumpyOverTheSamePixels)
{
    TempDir temp;
    const auto folder = testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm";
    // Slice k = 14 is file I150 (oracle probe); an axial view of this axis-aligned CT shows rows
    // and columns as stored: x = column, y = row.
    const auto result = cliJson(temp / "cache", "measure " + shellQuote(folder.string()) +
                                                    " --roi axial:14:rect:100,100,199,149 --roi axial:14:ellipse:100,100,300,200");
    const auto numpy = runPython(
        "import pydicom, sys\n"
        "d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)\n"
        "r = a[100:150, 100:200]\n"
        "print(r.size, r.mean(), r.std(ddof=1), r.min(), r.max(), float(d.PixelSpacing[0]) * float(d.PixelSpacing[1]))",
        {(folder / "I150").string()});
    std::istringstream in(numpy.out);
    double pixels = 0, mean = 0, sd = 0, low = 0, high = 0, pixelArea = 0;
    in >> pixels >> mean >> sd >> low >> high >> pixelArea;
    ASSERT_EQ(pixels, 5000) << numpy.out;
    const auto& rect = result.at(0);
    EXPECT_EQ(rect.value("pixels", 0), 5000);
    EXPECT_NEAR(rect.value("mean", 0.0), mean, 1e-6);
    EXPECT_NEAR(rect.value("sd", 0.0), sd, 1e-6);
    EXPECT_EQ(rect.value("min", 0.0), low);
    EXPECT_EQ(rect.value("max", 0.0), high);
    EXPECT_NEAR(rect.value("area_mm2", 0.0), 5000 * pixelArea, 1e-6);
    // An ellipse of radii 100 x 50 pixels: about pi * 100 * 50 pixels.
    EXPECT_NEAR(result.at(1).value("pixels", 0), M_PI * 100 * 50, M_PI * 100 * 50 * 0.01);
    EXPECT_EQ(cli(temp / "cache", "measure " + shellQuote(folder.string()) + " --roi axial:99:rect:0,0,1,1").exitCode, 2);
    EXPECT_EQ(cli(temp / "cache", "measure " + shellQuote(folder.string()) + " --distance 0,0,0:999,0,0").exitCode, 2);
}

} // namespace
} // namespace lb::test
