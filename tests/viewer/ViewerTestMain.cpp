// The viewer tests need a QApplication (and a display: ctest runs them under xvfb-run).
#include "viewer/VtkViewport.h"

#include <QApplication>
#include <QTemporaryDir>
#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    // The user's preferences (QSettings) of the tests' own, not of whoever runs them.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    lb::viewer::VtkViewport::prepareApplication();
    QApplication application(argc, argv);
    return RUN_ALL_TESTS();
}
