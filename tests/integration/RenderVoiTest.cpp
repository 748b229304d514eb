// The modality's own VOI in `lightbox-cli render` (no --window): a VOI LUT Sequence and a
// SIGMOID VOILUTFunction, on copies of pydicom's CT_small.dcm that pydicom itself writes. The
// oracle is pydicom (apply_modality_lut + apply_voi_lut for the table, scaled from the table's
// bits to 8 bits) and the PS3.3 C.11.2.1.3.1 formula for the sigmoid; a --window given on the
// command line stays linear (the contract). The PNG is read back with Pillow.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

const char* kMakeFiles = R"(
import sys, numpy as np, pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.data import get_testdata_file
out = sys.argv[1]
ds = pydicom.dcmread(get_testdata_file('CT_small.dcm'))
# A VOI LUT: 4096 entries of 12 bits from -1024 HU, a square-root curve (not a line).
lut = Dataset()
lut.add_new((0x0028, 0x3002), 'SS', [4096, -1024, 12])
lut.add_new((0x0028, 0x3006), 'US', [int(round(4095 * (i / 4095) ** 0.5)) for i in range(4096)])
lut.LUTExplanation = 'SQRT'
ds.VOILUTSequence = Sequence([lut])
ds.save_as(out + '/table.dcm')
ds = pydicom.dcmread(get_testdata_file('CT_small.dcm'))
ds.WindowCenter = 40
ds.WindowWidth = 400
ds.VOILUTFunction = 'SIGMOID'
ds.save_as(out + '/sigmoid.dcm')
)";

// Compares a rendered PNG with the expected grey of every pixel; prints mismatches and the grey
// levels seen (a blank picture must not pass).
const char* kCompare = R"(
import sys, numpy as np, pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
ds = pydicom.dcmread(sys.argv[1]); kind = sys.argv[3]
hu = apply_modality_lut(ds.pixel_array, ds).astype(np.float64)
if kind == 'table':
    expected = np.floor(apply_voi_lut(hu, ds).astype(np.float64) * 255 / 4095 + 0.5)
elif kind == 'sigmoid':
    expected = np.floor(255 / (1 + np.exp(-4 * (hu - 40) / 400)) + 0.5)
else:  # linear 400/40, PS3.3 C.11.2.1.2.1
    c, w = 40.0, 400.0
    expected = np.clip(np.floor(((hu - (c - 0.5)) / (w - 1) + 0.5) * 255 + 0.5), 0, 255)
    expected[hu <= c - 0.5 - (w - 1) / 2] = 0
    expected[hu > c - 0.5 + (w - 1) / 2] = 255
got = np.asarray(Image.open(sys.argv[2]).convert('L')).astype(np.float64)
print(int((got != expected).sum()), len(np.unique(got)), got.shape[0], got.shape[1])
)";

struct Comparison {
    int mismatches = -1, greyLevels = 0, rows = 0, columns = 0;
};

Comparison compare(const std::filesystem::path& dicom, const std::filesystem::path& png, const std::string& kind)
{
    const auto result = runPython(kCompare, {dicom.string(), png.string(), kind});
    Comparison c;
    std::istringstream(result.out) >> c.mismatches >> c.greyLevels >> c.rows >> c.columns;
    return c;
}

TEST(RenderVoi, TheModalitysTableAndSigmoidAreShownAndAGivenWindowStaysLinear)
{
    TempDir temp;
    ASSERT_EQ(runPython(kMakeFiles, {temp.path().string()}).exitCode, 0);
    const auto cache = temp / "cache";
    for (const std::string kind : {"table", "sigmoid"}) {
        const auto dicom = temp / (kind + ".dcm");
        const auto png = temp / (kind + ".png");
        const auto run = cliWithErrors(cache, "render " + shellQuote(dicom.string()) + " --view axial --size native -o " +
                                                  shellQuote(png.string()));
        ASSERT_EQ(run.exitCode, 0) << run.out;
        const Comparison c = compare(dicom, png, kind);
        EXPECT_EQ(c.rows, 128);
        EXPECT_EQ(c.columns, 128);
        EXPECT_EQ(c.mismatches, 0) << kind;
        EXPECT_GT(c.greyLevels, 50) << kind;
    }
    // --window/--level: the linear function, whatever the file's VOILUTFunction.
    const auto png = temp / "linear.png";
    ASSERT_EQ(cli(cache, "render " + shellQuote((temp / "sigmoid.dcm").string()) +
                             " --view axial --size native --window 400 --level 40 -o " + shellQuote(png.string()))
                  .exitCode,
              0);
    EXPECT_EQ(compare(temp / "sigmoid.dcm", png, "linear").mismatches, 0);
}

// Colour: RGB (RLE, 8 and 16 bits), YBR_FULL JPEG and YBR_FULL_422 uncompressed files of
// pydicom come out as RGB PNGs equal to pydicom's pixel_array (YBR converted by pydicom,
// 16 bits scaled to 8), pixel for pixel.
TEST(RenderVoi, ColourImagesAreWrittenAsStoredRgb)
{
    TempDir temp;
    const std::string folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";
    for (const std::string name : {"SC_rgb_rle", "SC_rgb_rle_16bit", "SC_rgb_jpeg_dcmtk", "SC_ybr_full_422_uncompressed"}) {
        const auto png = temp / (name + ".png");
        const auto run = cliWithErrors(temp / "cache", "render " + folder + name + ".dcm -o " + shellQuote(png.string()));
        ASSERT_EQ(run.exitCode, 0) << name << ": " << run.out;
        const auto compared = runPython(R"(
import sys, numpy as np, pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import convert_color_space
ds = pydicom.dcmread(sys.argv[1]); a = ds.pixel_array.astype(np.float64)
if ds.PhotometricInterpretation.startswith('YBR'):
    a = convert_color_space(ds.pixel_array, ds.PhotometricInterpretation, 'RGB').astype(np.float64)
if ds.BitsAllocated == 16:
    a = np.floor(a * 255 / 65535 + 0.5)
png = Image.open(sys.argv[2])
got = np.asarray(png).astype(np.float64)
print(png.mode, int((got != a).sum()), len(np.unique(got.reshape(-1, 3), axis=0)))
)", {folder + name + ".dcm", png.string()});
        std::istringstream fields(compared.out);
        std::string mode;
        int mismatches = -1, colours = 0;
        fields >> mode >> mismatches >> colours;
        EXPECT_EQ(mode, "RGB") << name;
        EXPECT_EQ(mismatches, 0) << name << ": " << compared.out;
        EXPECT_GT(colours, 5) << name;
    }
}

} // namespace
} // namespace lb::test
