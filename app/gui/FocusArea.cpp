#include "app/gui/FocusArea.h"

#include "app/gui/JobPanel.h"
#include "app/gui/MainWindow.h"
#include "app/gui/RemoteBrowser.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/TagBrowser.h"
#include "app/gui/ViewerKeys.h"

#include <QComboBox>

namespace lb::app::gui {

QString focusArea(const QWidget* focused, const MainWindow& window)
{
    if (!focused) return "other";
    if (isWithin(focused, window.viewerGrid())) return "viewer";
    if (isWithin(focused, window.studyBrowser())) {
        // The search fields (name, ID, modality, dates) above the list.
        return isTypingField(focused) || qobject_cast<const QComboBox*>(focused) ? "search" : "study-list";
    }
    if (isWithin(focused, window.remoteBrowser())) return "remote";
    if (isWithin(focused, window.tagBrowser())) return "tags";
    if (isWithin(focused, window.jobPanel())) return "jobs";
    return "other";
}

} // namespace lb::app::gui
