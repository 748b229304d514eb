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
    std::fprintf(stderr, "lightbox-cli: %s\n", terminalSafe(message).c_str());
    return code;
}

int fail(const core::Error& error)
{
    return fail(error.message(), error.code == core::ErrorCode::NotFound ? kExitNotFound : kExitFailure);
}

std::string terminalSafe(const std::string& text)
{
    std::string safe;
    safe.reserve(text.size());
    char escaped[8];
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            safe += escaped;
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80
                   && static_cast<unsigned char>(text[i + 1]) <= 0x9F) { // C1 control in UTF-8
            std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned char>(text[++i]));
            safe += escaped;
        } else {
            safe += static_cast<char>(c);
        }
    }
    return safe;
}

QString qs(const std::string& text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

} // namespace lb::app::cli
