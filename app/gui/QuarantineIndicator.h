#pragma once
// A status-bar note of how many files wait in quarantine (conflicts with cached studies,
// transfers a crash interrupted): hidden while there are none. The count is asked for every
// few seconds, so files a background receiver quarantines show up without a refresh.
#include <QLabel>

#include <cstdint>
#include <functional>
#include <optional>

class QTimer;

namespace lb::app::gui {

class QuarantineIndicator : public QLabel {
    Q_OBJECT
public:
    // `count` answers how many entries there are (nullopt: cannot tell; then nothing is shown).
    QuarantineIndicator(std::function<std::optional<int64_t>()> count, QWidget* parent = nullptr);
    void refresh();
    int64_t shown() const { return m_shown; }

private:
    std::function<std::optional<int64_t>()> m_count;
    int64_t m_shown = 0;
};

} // namespace lb::app::gui
