// The viewer tests need a QApplication (and a display: ctest runs them under xvfb-run).
#include "viewer/VtkViewport.h"

#include <QApplication>
#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    lb::viewer::VtkViewport::prepareApplication();
    QApplication application(argc, argv);
    return RUN_ALL_TESTS();
}
