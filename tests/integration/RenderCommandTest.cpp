// `lightbox-cli render --size native`: every oracle probe of the axis-aligned test series, in
// every orthogonal view through it, is the DICOM linear VOI of the oracle's modality value at
// the pixel where the probe's patient position must appear (radiological convention). The
// expected pixel comes from the oracle's LPS geometry alone, not from our index mapping; the
// PNG is read back with Pillow.
#include "tests/integration/CliTestSupport.h"

#include <cmath>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

using Vec = std::array<double, 3>;

double dot(const Vec& a, const Vec& b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

// PS3.3 C.11.2.1.2.1, 8-bit output, rounded to nearest.
int dicomLinearVoi(double x, double center, double width)
{
    if (x <= center - 0.5 - (width - 1) / 2) return 0;
    if (x > center - 0.5 + (width - 1) / 2) return 255;
    return static_cast<int>(std::floor(((x - (center - 0.5)) / (width - 1) + 0.5) * 255 + 0.5));
}

struct View {
    std::string name;
    Vec right, down, depth; // patient directions (LPS) of screen right, screen down, depth
};

const std::vector<View> kViews = {
    {"axial", {1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    {"coronal", {1, 0, 0}, {0, 0, -1}, {0, 1, 0}},
    {"sagittal", {0, 1, 0}, {0, 0, -1}, {1, 0, 0}},
};

struct Geometry {
    std::array<int, 3> dims;
    Vec spacing, origin;
    std::array<Vec, 3> axes; // direction of i, j, k
};

Geometry geometryOf(const nlohmann::json& series)
{
    Geometry g;
    for (int a = 0; a < 3; ++a) {
        g.dims[a] = series["dimensions_ijk"][a];
        g.spacing[a] = series["spacing"][a];
        g.origin[a] = series["origin_lps"][a];
        for (int c = 0; c < 3; ++c) g.axes[a][c] = series["direction_row_col_normal"][a][c];
    }
    return g;
}

// Spacing along a patient direction, and the smallest coordinate of any voxel centre on it.
double spacingAlong(const Geometry& g, const Vec& direction)
{
    for (int a = 0; a < 3; ++a)
        if (std::abs(dot(g.axes[a], direction)) > 0.999) return g.spacing[a];
    return 0;
}

double minimumAlong(const Geometry& g, const Vec& direction)
{
    double minimum = 1e300;
    for (int corner = 0; corner < 8; ++corner) {
        Vec point = g.origin;
        for (int a = 0; a < 3; ++a) {
            const int index = (corner >> a) & 1 ? g.dims[a] - 1 : 0;
            for (int c = 0; c < 3; ++c) point[c] += g.axes[a][c] * g.spacing[a] * index;
        }
        minimum = std::min(minimum, dot(point, direction));
    }
    return minimum;
}

int pngPixel(const std::filesystem::path& png, int x, int y)
{
    const auto result = runPython("from PIL import Image; import sys; im = Image.open(sys.argv[1]); "
                                  "print(im.mode, im.size[0], im.size[1], im.getpixel((int(sys.argv[2]), int(sys.argv[3]))))",
                                  {png.string(), std::to_string(x), std::to_string(y)});
    const auto parts = splitLines(result.out);
    if (parts.empty()) return -1;
    std::istringstream in(parts[0]);
    std::string mode;
    int width = 0, height = 0, value = -1;
    in >> mode >> width >> height >> value;
    EXPECT_EQ(mode, "L") << png;
    return value;
}

struct Case {
    std::string folder;
    std::vector<std::string> views; // the views whose depth the series has more than one voxel of, or that show it
};

TEST(RenderCommand, NativePixelsAreTheVoiOfTheOracleValuesWhereThePatientPositionBelongs)
{
    TempDir temp;
    const std::vector<Case> cases = {
        {"ct_philips_ingenuity_phantom/S2010_axial_5mm", {"axial", "coronal", "sagittal"}},
        {"ct_philips_ingenuity_phantom/S1000_localizer", {"sagittal"}},
        {"mr_siemens_vida_enhanced_multiframe", {"axial", "coronal", "sagittal"}},
        {"mr_ge_discovery_epi_4d", {"axial", "coronal", "sagittal"}},
    };
    int checked = 0;
    for (const auto& c : cases) {
        const auto oracle = readJson(testData() / c.folder / "oracle.json");
        const auto& series = oracle["series"][0];
        const Geometry g = geometryOf(series);
        const double low = series["pixel_stats"]["min"], high = series["pixel_stats"]["max"];
        const double width = high - low + 1, center = (high + low + 1) / 2;
        for (const auto& view : kViews) {
            if (std::find(c.views.begin(), c.views.end(), view.name) == c.views.end()) continue;
            for (const auto& probe : series["pixel_stats"]["probes_volume0"]) {
                const Vec lps = {probe["lps_mm"][0], probe["lps_mm"][1], probe["lps_mm"][2]};
                const auto png = temp / (view.name + std::to_string(checked) + ".png");
                char window[128];
                std::snprintf(window, sizeof window, "--window %.3f --level %.3f", width, center);
                const auto rendered = cliJson(temp / "cache", "render " + shellQuote((testData() / c.folder).string()) +
                                                                  " --view " + view.name + " --position " +
                                                                  std::to_string(dot(lps, view.depth)) + " " + window +
                                                                  " --size native -o " + shellQuote(png.string()));
                const int x = static_cast<int>(std::lround((dot(lps, view.right) - minimumAlong(g, view.right)) /
                                                           spacingAlong(g, view.right)));
                const int y = static_cast<int>(std::lround((dot(lps, view.down) - minimumAlong(g, view.down)) /
                                                           spacingAlong(g, view.down)));
                const int expected = dicomLinearVoi(probe["value"].get<double>(), center, width);
                EXPECT_EQ(pngPixel(png, x, y), expected)
                    << c.folder << " " << view.name << " probe " << probe.dump() << " at " << x << "," << y << "\n"
                    << rendered.dump(2);
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, 5 * (3 + 1 + 3 + 3));
}

TEST(RenderCommand, OrientationLabelsFollowTheRadiologicalConvention)
{
    TempDir temp;
    const auto ct = (testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string();
    const std::map<std::string, std::array<std::string, 4>> expected = {
        {"axial", {"R", "L", "A", "P"}}, {"coronal", {"R", "L", "S", "I"}}, {"sagittal", {"A", "P", "S", "I"}}};
    for (const auto& [view, labels] : expected) {
        const auto rendered = cliJson(temp / "cache", "render " + shellQuote(ct) + " --view " + view +
                                                          " --preset brain -o " + shellQuote((temp / "v.png").string()));
        EXPECT_EQ(rendered["labels"].value("left", ""), labels[0]) << view;
        EXPECT_EQ(rendered["labels"].value("right", ""), labels[1]) << view;
        EXPECT_EQ(rendered["labels"].value("top", ""), labels[2]) << view;
        EXPECT_EQ(rendered["labels"].value("bottom", ""), labels[3]) << view;
    }
    // The oblique Philips EPI (row cosines tilted 13 degrees toward S): still left-right in the
    // axial view, with a warning that it is the nearest orthogonal view.
    const auto oblique = cliJson(temp / "cache", "render " + shellQuote((testData() / "mr_philips_achieva_epi_rescaled").string()) +
                                                     " --view axial -o " + shellQuote((temp / "o.png").string()));
    EXPECT_EQ(oblique["labels"].value("right", ""), "L");
    EXPECT_FALSE(oblique["warnings"].empty());
}

TEST(RenderCommand, WithoutAWindowTheOneStoredInTheDicomIsUsed)
{
    TempDir temp;
    const auto folder = testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm";
    // oracle: "WindowCenter/Width(first file)": ["[40, 40]", "[80, 80]"] (two values each).
    const auto stored = readJson(folder / "oracle.json")["series"][0]["WindowCenter/Width(first file)"];
    auto first = [](const std::string& list) { return std::stod(list.substr(1, list.find(',') - 1)); };
    const auto rendered = cliJson(temp / "cache", "render " + shellQuote(folder.string()) + " -o " +
                                                      shellQuote((temp / "d.png").string()));
    EXPECT_EQ(rendered.value("level", 0.0), first(stored[0].get<std::string>()));
    EXPECT_EQ(rendered.value("window", 0.0), first(stored[1].get<std::string>()));
}

TEST(RenderCommand, SizedSlabAndErrors)
{
    TempDir temp;
    const auto ct = shellQuote((testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string());
    const auto png = shellQuote((temp / "s.png").string());
    const auto sized = cliJson(temp / "cache", "render " + ct + " --view coronal --preset bone --size 300x200 -o " + png);
    EXPECT_EQ(sized.value("width", 0), 300);
    EXPECT_EQ(sized.value("height", 0), 200);
    const auto slab = cliJson(temp / "cache", "render " + ct + " --view axial --slab 20 --slab-mode mip --preset bone -o " + png);
    EXPECT_EQ(slab.value("slab_slices", 0), 4); // 20 mm of 5 mm slices
    EXPECT_EQ(cli(temp / "cache", "render " + ct + " --view axial --slice 28 -o " + png).exitCode, 2);
    EXPECT_EQ(cli(temp / "cache", "render " + ct + " --view panoramic -o " + png).exitCode, 2);
    EXPECT_EQ(cli(temp / "cache", "render " + ct + " --view axial --rotate z:10 -o " + png).exitCode, 2);
    EXPECT_EQ(cli(temp / "cache", "render " + ct + " --view oblique --rotate q:10 -o " + png).exitCode, 2);
    EXPECT_EQ(cli(temp / "cache", "render " + ct + " --preset nosuch -o " + png).exitCode, 2);
}

// Compares two PNGs with Pillow: `relation` is a Python expression over a, b (pixel lists,
// row by row), w, h (of a); prints "ok" or what differs.
std::string comparePngs(const std::filesystem::path& first, const std::filesystem::path& second, const std::string& relation)
{
    const auto result = runPython("from PIL import Image; import sys\n"
                                  "A = Image.open(sys.argv[1]); B = Image.open(sys.argv[2])\n"
                                  "w, h = A.size; a = list(A.getdata()); b = list(B.getdata())\n"
                                  "print('ok' if (" + relation + ") else 'differ: %s %s' % (A.size, B.size))",
                                  {first.string(), second.string()});
    std::string out = result.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

TEST(RenderCommand, ObliquePlanesAndMipAgreeWithTheOrthogonalViews)
{
    TempDir temp;
    const auto ct = shellQuote((testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string());
    const std::string window = " --window 400 --level 40 ";
    auto render = [&](const std::string& name, const std::string& arguments) {
        const auto file = temp / (name + ".png");
        const auto json = cliJson(temp / "cache", "render " + ct + window + arguments + " -o " + shellQuote(file.string()));
        return std::make_pair(file, json);
    };
    // Slice 14 lies at z = 766.21 mm. Unrotated, the oblique plane samples its voxel centres.
    const auto [axial, axialJson] = render("axial", "--view axial --slice 14");
    const auto [plain, plainJson] = render("oblique0", "--view oblique --position 766.21");
    EXPECT_EQ(comparePngs(axial, plain, "A.size == B.size and a == b"), "ok");
    // A quarter turn about the patient's S axis turns the picture: B(x, y) = A(w - 1 - y, x).
    const auto [turned, turnedJson] = render("oblique90", "--view oblique --rotate z:90 --position 766.21");
    EXPECT_EQ(comparePngs(axial, turned, "all(b[y * w + x] == a[x * w + (w - 1 - y)] for y in range(h) for x in range(w))"),
              "ok");
    EXPECT_EQ(turnedJson["labels"].value("right", ""), "P");
    // MIP through the whole volume from the front: never darker than the central coronal plane
    // on the same grid (an axial plane turned -90 degrees about x is coronal).
    const auto [mip, mipJson] = render("mip", "--view mip");
    const auto [coronal, coronalJson] = render("coronal-plane", "--view oblique --rotate x:-90");
    EXPECT_EQ(mipJson["labels"].value("top", ""), "S");
    EXPECT_EQ(comparePngs(mip, coronal, "A.size == B.size and all(p >= q for p, q in zip(a, b)) and a != b"), "ok");
}

TEST(RenderCommand, VolumeRenderingIsNotBlankAndFollowsPresetAndRotation)
{
    TempDir temp;
    const auto ct = shellQuote((testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string());
    auto volumeRender = [&](const std::string& name, const std::string& arguments) {
        const auto file = temp / (name + ".png");
        // In the sanitizer build: Mesa's GL driver, loaded and unloaded again by libglvnd, leaks
        // ~240 bytes per GL context; by exit the module is gone and LeakSanitizer cannot name it
        // to suppress it, so leak checking is off for this process only (ASan itself stays on).
        const auto result = runCommand("ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -s '-screen 0 1024x768x24' " +
                                       std::string(LB_CLI) + " --cache " +
                                       shellQuote((temp / "cache").string()) + " --json render " + ct + " --view vr " +
                                       arguments + " --size 256x256 -o " + shellQuote(file.string()));
        EXPECT_EQ(result.exitCode, 0) << result.out;
        return file;
    };
    const auto bone = volumeRender("bone", "--preset ct-bone");
    const auto soft = volumeRender("soft", "--preset ct-soft-tissue");
    const auto turned = volumeRender("bone-turned", "--preset ct-bone --rotate z:90");
    // Not blank: a good share of lit pixels, and not one flat colour.
    for (const auto& file : {bone, soft, turned})
        EXPECT_EQ(comparePngs(file, file, "A.mode == 'RGB' and sum(1 for p in a if max(p) > 40) > len(a) // 20 and len(set(a)) > 100"),
                  "ok") << file;
    EXPECT_EQ(comparePngs(bone, soft, "a != b"), "ok");
    EXPECT_EQ(comparePngs(bone, turned, "a != b"), "ok");

    // --crop: only the inferior half along k (k ascends to the head): seen from the front, the
    // upper half of the head (rows 30-50 % here) empties while the lower half (50-70 %) stays.
    const auto cropped = volumeRender("bone-cropped", "--preset ct-bone --crop 0,1,0,1,0,0.5");
    const std::string lit = "(lambda img, rows: sum(1 for i, p in enumerate(img) if rows[0] <= i // w < rows[1] and max(p) > 40))";
    EXPECT_EQ(comparePngs(bone, cropped, lit + "(b, (h * 3 // 10, h // 2)) * 4 < " + lit + "(a, (h * 3 // 10, h // 2)) and " + lit +
                                             "(b, (h // 2, h * 7 // 10)) * 2 > " + lit + "(a, (h // 2, h * 7 // 10))"),
              "ok");
    const auto badCrop = runCommand("xvfb-run -a " + std::string(LB_CLI) + " --cache " + shellQuote((temp / "cache").string()) +
                                    " render " + ct + " --view vr --crop 0,1,0.6,0.4,0,1 -o " +
                                    shellQuote((temp / "x.png").string()) + " 2>&1");
    EXPECT_EQ(badCrop.exitCode, 2) << badCrop.out;

    // Without a display: a clear error, not a crash.
    const auto headless = runCommand("env -u DISPLAY " + std::string(LB_CLI) + " render " + ct + " --view vr -o " +
                                     shellQuote((temp / "none.png").string()) + " 2>&1");
    EXPECT_EQ(headless.exitCode, 1) << headless.out;
    EXPECT_NE(headless.out.find("xvfb-run"), std::string::npos) << headless.out;
}

} // namespace
} // namespace lb::test
