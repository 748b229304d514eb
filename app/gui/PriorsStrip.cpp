#include "app/gui/PriorsStrip.h"

#include <QRegularExpression>

namespace lb::app::gui {

namespace {
constexpr int kStudyUidRole = Qt::UserRole;
constexpr int kLocalRole = Qt::UserRole + 1;
} // namespace

QString readableDate(const std::string& yyyymmdd)
{
    const QString text = QString::fromStdString(yyyymmdd);
    return text.size() == 8 ? text.left(4) + "-" + text.mid(4, 2) + "-" + text.mid(6, 2) : text;
}

PriorsStrip::PriorsStrip(QWidget* parent) : QListWidget(parent)
{
    setObjectName("priorsStrip");
    setSelectionMode(QAbstractItemView::SingleSelection);
    setWordWrap(true);
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QString uid = item->data(kStudyUidRole).toString();
        if (!uid.isEmpty()) emit priorChosen(uid);
    });
}

void PriorsStrip::setSearching(const QString& studyLabel)
{
    clear();
    addItem("looking for priors of " + studyLabel + " ...");
}

void PriorsStrip::setPriors(const PriorList& priors, const QSet<QString>& fetching)
{
    clear();
    for (const auto& prior : priors.priors) addPrior(prior, fetching.contains(QString::fromStdString(prior.studyUid)));
    for (const auto& problem : priors.problems) addItem("! " + QString::fromStdString(problem));
    if (priors.priors.empty()) addItem("no other studies of this patient");
}

void PriorsStrip::addPrior(const PriorStudy& prior, bool fetching)
{
    QStringList modalities;
    for (const auto& modality : prior.modalities) modalities << QString::fromStdString(modality);
    const QString where = prior.where == "local" ? QString("local")
                          : fetching             ? QString("being fetched from %1").arg(QString::fromStdString(prior.where))
                                                 : QString("on %1").arg(QString::fromStdString(prior.where));
    QString text = QString("%1  (%2)  %3  %4  [%5]")
                       .arg(readableDate(prior.studyDate), QString::fromStdString(prior.interval), modalities.join("/"),
                            QString::fromStdString(prior.description), where);
    if (prior.match != "id") text += "  possibly the same patient (name and birth date only)";
    auto* item = new QListWidgetItem(text, this);
    item->setData(kStudyUidRole, QString::fromStdString(prior.studyUid));
    item->setData(kLocalRole, prior.where == "local");
    item->setToolTip(QString::fromStdString(prior.reason));
    QFont font = item->font();
    font.setBold(prior.relevant);
    item->setFont(font);
    if (!prior.relevant || prior.match != "id") item->setForeground(QColor(130, 130, 130));
}

void PriorsStrip::setFetched(const QString& studyUid)
{
    for (int row = 0; row < count(); ++row) {
        QListWidgetItem* it = item(row);
        if (it->data(kStudyUidRole).toString() != studyUid) continue;
        QString text = it->text();
        text.replace(QRegularExpression("\\[(being fetched from|on) [^\\]]*\\]"), "[local]");
        it->setText(text);
        it->setData(kLocalRole, true);
    }
}

QString PriorsStrip::rowText(int row) const
{
    return row >= 0 && row < count() ? item(row)->text() : QString();
}

} // namespace lb::app::gui
