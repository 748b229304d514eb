#pragma once
// The priors strip: the open study's other studies of the same patient, most relevant first
// (app/services/PriorSearch.h): date, how long before, modality, description, and where it is
// (local, on a node, being fetched). A click on a prior (or dragging it onto the viewer) puts it
// beside the current study by the hanging protocol.
#include "app/services/PriorSearch.h"

#include <QListWidget>
#include <QSet>

namespace lb::app::gui {

class PriorsStrip : public QListWidget {
    Q_OBJECT
public:
    explicit PriorsStrip(QWidget* parent = nullptr);

    void setSearching(const QString& studyLabel);
    void setPriors(const PriorList& priors, const QSet<QString>& fetching);
    void setFetched(const QString& studyUid); // its fetch is done: now local
    int priorCount() const { return count(); }
    QString rowText(int row) const;

signals:
    void priorChosen(QString studyUid);

private:
    void addPrior(const PriorStudy& prior, bool fetching);
};

// "2025-03-15", from "20250315".
QString readableDate(const std::string& yyyymmdd);

} // namespace lb::app::gui
