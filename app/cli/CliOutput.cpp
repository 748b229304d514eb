#include "app/cli/CliOutput.h"

#include <QJsonDocument>
#include <cstdio>

namespace lb::app::cli {

namespace {
void writeDocument(const QJsonDocument& document)
{
    const QByteArray bytes = document.toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}
} // namespace

void printJson(const QJsonObject& object) { writeDocument(QJsonDocument(object)); }
void printJson(const QJsonArray& array) { writeDocument(QJsonDocument(array)); }

int fail(const std::string& message, int code)
{
    std::fprintf(stderr, "lightbox-cli: %s\n", message.c_str());
    return code;
}

int fail(const core::Error& error)
{
    return fail(error.message(), error.code == core::ErrorCode::NotFound ? kExitNotFound : kExitFailure);
}

QString qs(const std::string& text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

} // namespace lb::app::cli
