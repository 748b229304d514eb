#include "app/gui/QuarantineIndicator.h"

#include <QTimer>

namespace lb::app::gui {

namespace {
constexpr int kRefreshMs = 5000;
}

QuarantineIndicator::QuarantineIndicator(std::function<std::optional<int64_t>()> count, QWidget* parent)
    : QLabel(parent), m_count(std::move(count))
{
    setObjectName("quarantineIndicator");
    setToolTip("Files Lightbox kept aside instead of filing them: another patient's images in a cached study, a "
               "different copy of a cached instance, transfers interrupted before they were stored. "
               "See: lightbox-cli quarantine list");
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &QuarantineIndicator::refresh);
    timer->start(kRefreshMs);
    refresh();
}

void QuarantineIndicator::refresh()
{
    const auto count = m_count();
    m_shown = count.value_or(0);
    setText(QString("<b>%1 in quarantine</b>").arg(m_shown));
    setVisible(m_shown > 0);
}

} // namespace lb::app::gui
