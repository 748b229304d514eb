// Slices and oblique planes of synthetic volumes: value(i, j, k) = i + 100 j + 10000 k, so every
// pixel says which voxel it shows. Edge cases must give errors, never crashes.
#include "render/ObliqueRender.h"
#include "render/SliceRender.h"

#include <gtest/gtest.h>

namespace lb::render {
namespace {

std::shared_ptr<core::Volume> indexVolume(std::array<int, 3> dims, std::array<double, 9> direction = {1, 0, 0, 0, 1, 0, 0, 0, 1})
{
    core::VolumeGeometry geometry;
    geometry.dims = dims;
    geometry.spacing = {1, 1, 1};
    geometry.direction = direction;
    auto volume = std::make_shared<core::Volume>(geometry, 1, core::PixelType::Float32);
    auto* values = reinterpret_cast<float*>(volume->data());
    for (int k = 0; k < dims[2]; ++k)
        for (int j = 0; j < dims[1]; ++j)
            for (int i = 0; i < dims[0]; ++i)
                values[(static_cast<size_t>(k) * dims[1] + j) * dims[0] + i] = static_cast<float>(i + 100 * j + 10000 * k);
    return volume;
}

// A window that shows values 0..255 one to one: ((x - 127.5) / 255 + 0.5) * 255 = x.
const Window kIdentity{128, 256};

int pixel(const RenderedSlice& slice, int x, int y)
{
    return slice.image.pixels[static_cast<size_t>(y) * slice.image.width + x];
}

TEST(SliceRender, EachViewShowsTheVoxelTheConventionPutsThere)
{
    // 7 x 5 x 3 voxels, axis-aligned: values of one row step by 1, of one column by 100.
    auto volume = indexVolume({7, 5, 3});
    SliceRequest axial;
    axial.window = kIdentity;
    axial.slice = 0;
    auto a = renderSlice(*volume, axial);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->image.width, 7);
    EXPECT_EQ(a->image.height, 5);
    EXPECT_EQ(pixel(*a, 3, 0), 3);   // column 3 of row 0
    EXPECT_EQ(pixel(*a, 0, 1), 100); // one row down = one row of the volume (posterior)

    SliceRequest coronal = axial;
    coronal.plane = ViewPlane::Coronal;
    auto c = renderSlice(*volume, coronal);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->image.height, 3); // the slices, superior at the top
    EXPECT_EQ(c->view.topLabel, "S");
    // Bottom row of the picture is slice 0 (inferior); value there at x = 2 is 2 + 0 + 0.
    EXPECT_EQ(pixel(*c, 2, 2), 2);
}

TEST(SliceRender, EdgeCasesAreErrorsNotCrashes)
{
    auto tiny = indexVolume({1, 1, 1});
    SliceRequest request;
    EXPECT_TRUE(renderSlice(*tiny, request).ok());
    request.slice = 1;
    EXPECT_FALSE(renderSlice(*tiny, request).ok());
    request.slice.reset();
    request.position = 1e9;
    EXPECT_FALSE(renderSlice(*tiny, request).ok());
    request.position.reset();
    request.slabMm = 1e9; // clamped to the volume
    EXPECT_TRUE(renderSlice(*tiny, request).ok());
    request.size = std::make_pair(0, 10);
    EXPECT_FALSE(renderSlice(*tiny, request).ok());
    request.size = std::make_pair(1, 1);
    EXPECT_TRUE(renderSlice(*tiny, request).ok());
    request.timePoint = 3;
    EXPECT_FALSE(renderSlice(*tiny, request).ok());

    ObliqueRequest oblique;
    oblique.rotations = {{'x', 33}, {'y', -71}, {'z', 1e6}};
    EXPECT_TRUE(renderOblique(*tiny, oblique).ok());
    oblique.throughWholeVolume = true;
    EXPECT_TRUE(renderOblique(*tiny, oblique).ok());
    oblique.positionMm = -1e9;
    EXPECT_FALSE(renderOblique(*tiny, oblique).ok());
}

TEST(ObliqueRender, AnUnrotatedPlaneEqualsTheAxialSliceAndTurnsExactly)
{
    auto volume = indexVolume({9, 9, 5});
    SliceRequest axial;
    axial.window = Window{40000, 80000};
    axial.slice = 2;
    auto slice = renderSlice(*volume, axial);
    ObliqueRequest plane;
    plane.window = axial.window;
    auto flat = renderOblique(*volume, plane); // through the centre: k = 2
    ASSERT_TRUE(slice.ok());
    ASSERT_TRUE(flat.ok());
    EXPECT_EQ(flat->image.pixels, slice->image.pixels);
    plane.rotations = {{'z', 90}};
    auto turned = renderOblique(*volume, plane);
    ASSERT_TRUE(turned.ok());
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 9; ++x) EXPECT_EQ(pixel(*turned, x, y), pixel(*slice, 8 - y, x));
}

TEST(ObliqueRender, AnObliqueVolumeIsSampledInPatientSpace)
{
    // The volume's rows run along patient P, its columns along R (a 90-degree in-plane turn):
    // the axial view must still show patient left on the right, so the picture is the voxel
    // grid turned back.
    auto volume = indexVolume({6, 6, 3}, {0, 1, 0, -1, 0, 0, 0, 0, 1});
    ObliqueRequest plane;
    plane.window = Window{40000, 80000};
    auto picture = renderOblique(*volume, plane);
    ASSERT_TRUE(picture.ok());
    EXPECT_EQ(picture->view.rightLabel, "L");
    // Patient left (+x) is along -column direction: row index j decreases to the right.
    const int left = pixel(*picture, 5, 2), right = pixel(*picture, 0, 2);
    EXPECT_LT(left, right);
}

} // namespace
} // namespace lb::render
