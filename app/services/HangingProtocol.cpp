#include "app/services/HangingProtocol.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cctype>

namespace lb::app {

namespace {

using core::ErrorCode;

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// A string or a list of strings, upper-cased.
std::vector<std::string> listOf(const QJsonValue& value)
{
    std::vector<std::string> out;
    if (value.isString()) out.push_back(upper(value.toString().toStdString()));
    for (const auto& item : value.toArray()) out.push_back(upper(item.toString().toStdString()));
    return out;
}

QJsonValue listJson(const std::vector<std::string>& values)
{
    QJsonArray array;
    for (const auto& value : values) array.append(QString::fromStdString(value));
    return array;
}

bool anyOf(const std::vector<std::string>& wanted, const std::string& value)
{
    return std::find(wanted.begin(), wanted.end(), upper(value)) != wanted.end();
}

SeriesSelector selectorFrom(const QJsonObject& json, bool allowPrefer)
{
    SeriesSelector s;
    s.modality = listOf(json.value("modality"));
    s.description = listOf(json.value("description"));
    s.notDescription = listOf(json.value("not_description"));
    s.orientation = listOf(json.value("orientation"));
    const QJsonArray thickness = json.value("thickness").toArray();
    if (thickness.size() == 2) {
        if (!thickness[0].isNull()) s.minThickness = thickness[0].toDouble();
        if (!thickness[1].isNull()) s.maxThickness = thickness[1].toDouble();
    }
    s.imageType = listOf(json.value("image_type"));
    if (json.value("contrast").isBool()) s.contrast = json.value("contrast").toBool();
    s.viewPosition = listOf(json.value("view_position"));
    s.laterality = listOf(json.value("laterality"));
    s.minImages = json.value("min_images").toInt(1);
    s.localizers = json.value("localizers").toBool(false);
    if (allowPrefer) {
        const QJsonValue prefer = json.value("prefer");
        if (prefer.isObject()) s.prefer.push_back(selectorFrom(prefer.toObject(), false));
        for (const auto& item : prefer.toArray()) s.prefer.push_back(selectorFrom(item.toObject(), false));
    }
    return s;
}

QJsonObject selectorJson(const SeriesSelector& s)
{
    QJsonObject json;
    if (!s.modality.empty()) json["modality"] = listJson(s.modality);
    if (!s.description.empty()) json["description"] = listJson(s.description);
    if (!s.notDescription.empty()) json["not_description"] = listJson(s.notDescription);
    if (!s.orientation.empty()) json["orientation"] = listJson(s.orientation);
    if (s.minThickness || s.maxThickness)
        json["thickness"] = QJsonArray{s.minThickness ? QJsonValue(*s.minThickness) : QJsonValue(),
                                       s.maxThickness ? QJsonValue(*s.maxThickness) : QJsonValue()};
    if (!s.imageType.empty()) json["image_type"] = listJson(s.imageType);
    if (s.contrast) json["contrast"] = *s.contrast;
    if (!s.viewPosition.empty()) json["view_position"] = listJson(s.viewPosition);
    if (!s.laterality.empty()) json["laterality"] = listJson(s.laterality);
    if (s.minImages != 1) json["min_images"] = s.minImages;
    if (s.localizers) json["localizers"] = true;
    if (!s.prefer.empty()) {
        QJsonArray prefer;
        for (const auto& p : s.prefer) prefer.append(selectorJson(p));
        json["prefer"] = prefer;
    }
    return json;
}

// "current" -> 0, "prior" / "prior1" / "prior 1" -> 1, "prior2" -> 2 ...
std::optional<int> studyIndex(const QJsonValue& value)
{
    if (value.isUndefined() || value.isNull()) return 0;
    if (value.isDouble()) return value.toInt();
    std::string text = upper(value.toString().toStdString());
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    if (text == "CURRENT") return 0;
    if (text == "PRIOR") return 1;
    if (text.rfind("PRIOR", 0) == 0) {
        try {
            const int n = std::stoi(text.substr(5));
            if (n >= 1) return n;
        } catch (...) {
        }
    }
    return std::nullopt;
}

std::string studyName(int index)
{
    return index == 0 ? "current" : "prior" + std::to_string(index);
}

core::Result<ProtocolStep> stepFrom(const QJsonObject& json, const std::string& where)
{
    ProtocolStep step;
    step.name = json.value("name").toString().toStdString();
    step.layout = json.value("layout").toString("1x1").toStdString();
    if (!validLayout(step.layout))
        return core::makeError(ErrorCode::InvalidArgument, where, "layout '" + step.layout + "' is not RxC (up to 4x4), mpr or 3d");
    for (const auto& item : json.value("viewports").toArray()) {
        const QJsonObject v = item.toObject();
        ViewportRule rule;
        auto study = studyIndex(v.value("study"));
        if (!study) return core::makeError(ErrorCode::InvalidArgument, where, "study must be \"current\" or \"priorN\"");
        rule.study = *study;
        rule.series = selectorFrom(v.value("series").toObject(), true);
        rule.view = v.value("view").toString("axial").toLower().toStdString();
        if (rule.view != "axial" && rule.view != "coronal" && rule.view != "sagittal" && rule.view != "3d")
            return core::makeError(ErrorCode::InvalidArgument, where, "view '" + rule.view + "' is not axial, coronal, sagittal or 3d");
        rule.preset = v.value("preset").toString().toStdString();
        rule.mirror = v.value("mirror").toBool(false);
        rule.label = v.value("label").toString().toStdString();
        step.viewports.push_back(rule);
    }
    if (step.viewports.empty()) return core::makeError(ErrorCode::InvalidArgument, where, "a step needs at least one viewport");
    const auto grid = gridOf(step.layout);
    if (grid && static_cast<int>(step.viewports.size()) > grid->first * grid->second)
        return core::makeError(ErrorCode::InvalidArgument, where, "more viewports than the layout " + step.layout + " has");
    for (const auto& group : json.value("sync").toArray()) {
        std::vector<int> indexes;
        for (const auto& index : group.toArray()) {
            const int i = index.toInt(-1);
            if (i < 0 || i >= static_cast<int>(step.viewports.size()))
                return core::makeError(ErrorCode::InvalidArgument, where, "sync names viewport " + std::to_string(i) + ", which the step lacks");
            indexes.push_back(i);
        }
        step.sync.push_back(indexes);
    }
    return step;
}

core::Result<HangingProtocol> protocolFrom(const QJsonObject& json, const std::string& source)
{
    HangingProtocol protocol;
    protocol.source = source;
    protocol.name = json.value("name").toString().toStdString();
    if (protocol.name.empty()) return core::makeError(ErrorCode::InvalidArgument, source, "a protocol needs a name");
    protocol.priority = json.value("priority").toInt(0);
    const QJsonObject match = json.value("match").toObject();
    protocol.match.modality = listOf(match.value("modality"));
    protocol.match.bodyPart = listOf(match.value("body_part"));
    protocol.match.description = listOf(match.value("description"));
    protocol.match.minPriors = match.value("min_priors").toInt(0);
    const QJsonArray steps = json.value("steps").toArray();
    for (int i = 0; i < steps.size(); ++i) {
        auto step = stepFrom(steps[i].toObject(), source + ": " + protocol.name + ", step " + std::to_string(i + 1));
        if (!step) return step.error();
        protocol.steps.push_back(*step);
    }
    if (protocol.steps.empty()) return core::makeError(ErrorCode::InvalidArgument, source, protocol.name + ": a protocol needs at least one step");
    return protocol;
}

core::Result<QJsonDocument> parse(const std::string& text, const std::string& source)
{
    QJsonParseError error{};
    QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (document.isNull() || !document.isObject())
        return core::makeError(ErrorCode::InvalidArgument, source, "not a JSON object: " + error.errorString().toStdString());
    return document;
}

} // namespace

std::optional<std::pair<int, int>> gridOf(const std::string& layout)
{
    if (layout.size() != 3 || layout[1] != 'x') return std::nullopt;
    const int rows = layout[0] - '0', columns = layout[2] - '0';
    if (rows < 1 || rows > 4 || columns < 1 || columns > 4) return std::nullopt;
    return std::make_pair(rows, columns);
}

bool validLayout(const std::string& layout)
{
    return layout == "mpr" || layout == "3d" || gridOf(layout).has_value();
}

bool patternMatches(const std::string& pattern, const std::string& text)
{
    // Iterative glob with backtracking on the last '*'.
    const std::string p = upper(pattern), t = upper(text);
    size_t pi = 0, ti = 0, star = std::string::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

core::Result<HangingProtocol> protocolFromJson(const std::string& text, const std::string& source)
{
    auto document = parse(text, source);
    if (!document) return document.error();
    return protocolFrom(document->object(), source);
}

core::Result<std::vector<HangingProtocol>> protocolsFromJson(const std::string& text, const std::string& source)
{
    auto document = parse(text, source);
    if (!document) return document.error();
    const QJsonObject root = document->object();
    std::vector<HangingProtocol> protocols;
    if (!root.contains("protocols")) {
        auto one = protocolFrom(root, source);
        if (!one) return one.error();
        protocols.push_back(*one);
        return protocols;
    }
    for (const auto& item : root.value("protocols").toArray()) {
        auto protocol = protocolFrom(item.toObject(), source);
        if (!protocol) return protocol.error();
        protocols.push_back(*protocol);
    }
    return protocols;
}

std::string protocolToJson(const HangingProtocol& protocol)
{
    QJsonObject match;
    if (!protocol.match.modality.empty()) match["modality"] = listJson(protocol.match.modality);
    if (!protocol.match.bodyPart.empty()) match["body_part"] = listJson(protocol.match.bodyPart);
    if (!protocol.match.description.empty()) match["description"] = listJson(protocol.match.description);
    if (protocol.match.minPriors > 0) match["min_priors"] = protocol.match.minPriors;
    QJsonArray steps;
    for (const auto& step : protocol.steps) {
        QJsonArray viewports;
        for (const auto& rule : step.viewports) {
            QJsonObject v{{"study", QString::fromStdString(studyName(rule.study))},
                          {"series", selectorJson(rule.series)},
                          {"view", QString::fromStdString(rule.view)}};
            if (!rule.preset.empty()) v["preset"] = QString::fromStdString(rule.preset);
            if (rule.mirror) v["mirror"] = true;
            if (!rule.label.empty()) v["label"] = QString::fromStdString(rule.label);
            viewports.append(v);
        }
        QJsonArray sync;
        for (const auto& group : step.sync) {
            QJsonArray indexes;
            for (int i : group) indexes.append(i);
            sync.append(indexes);
        }
        QJsonObject s{{"layout", QString::fromStdString(step.layout)}, {"viewports", viewports}, {"sync", sync}};
        if (!step.name.empty()) s["name"] = QString::fromStdString(step.name);
        steps.append(s);
    }
    QJsonObject json{{"name", QString::fromStdString(protocol.name)}, {"match", match}, {"steps", steps}};
    if (protocol.priority != 0) json["priority"] = protocol.priority;
    return QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
}

bool selects(const SeriesSelector& s, const SeriesChoice& series)
{
    const core::SeriesTraits& t = series.traits;
    const bool localizer = std::find(t.imageType.begin(), t.imageType.end(), "LOCALIZER") != t.imageType.end();
    if (localizer && !s.localizers) return false;
    if (series.images < s.minImages) return false;
    if (!s.modality.empty() && !anyOf(s.modality, t.modality)) return false;
    auto described = [&](const std::string& pattern) {
        return patternMatches(pattern, t.description) || (!t.protocolName.empty() && patternMatches(pattern, t.protocolName));
    };
    if (!s.description.empty() && std::none_of(s.description.begin(), s.description.end(), described)) return false;
    if (std::any_of(s.notDescription.begin(), s.notDescription.end(), described)) return false;
    if (!s.orientation.empty() && !anyOf(s.orientation, t.orientation)) return false;
    if (s.minThickness && (!t.sliceThickness || *t.sliceThickness < *s.minThickness - 1e-6)) return false;
    if (s.maxThickness && (!t.sliceThickness || *t.sliceThickness > *s.maxThickness + 1e-6)) return false;
    for (const auto& value : s.imageType)
        if (std::find(t.imageType.begin(), t.imageType.end(), value) == t.imageType.end()) return false;
    if (s.contrast && *s.contrast != t.contrast) return false;
    if (!s.viewPosition.empty() && !anyOf(s.viewPosition, t.viewPosition)) return false;
    if (!s.laterality.empty() && !anyOf(s.laterality, t.laterality)) return false;
    return true;
}

const SeriesChoice* bestSeries(const SeriesSelector& selector, const std::vector<SeriesChoice>& series)
{
    const SeriesChoice* best = nullptr;
    int bestScore = -1;
    for (const auto& candidate : series) {
        if (!selects(selector, candidate)) continue;
        int score = 0;
        for (const auto& preference : selector.prefer) score += selects(preference, candidate) ? 1 : 0;
        const bool better = !best || score > bestScore
                            || (score == bestScore && candidate.images > best->images)
                            || (score == bestScore && candidate.images == best->images
                                && candidate.number.value_or(1 << 30) < best->number.value_or(1 << 30));
        if (better) {
            best = &candidate;
            bestScore = score;
        }
    }
    return best;
}

} // namespace lb::app
