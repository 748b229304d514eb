#include "app/gui/StudyBrowser.h"
#include "app/gui/GuiText.h"


#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

// DICOM PN "Family^Given" as people read it.
QString personName(const std::string& dicom)
{
    QString name = qs(dicom);
    name.replace('^', ", ");
    return name;
}

QString date(const std::string& yyyymmdd)
{
    return yyyymmdd.size() == 8 ? qs(yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2))
                                : qs(yyyymmdd);
}

QString time(const std::string& hhmmss)
{
    return hhmmss.size() >= 4 ? qs(hhmmss.substr(0, 2) + ":" + hhmmss.substr(2, 2)) : qs(hhmmss);
}

std::string dicomDate(const QDate& day)
{
    return day.toString("yyyyMMdd").toStdString();
}

enum DatePreset { AnyDate, Today, Yesterday, LastWeek, LastMonth, LastYear, Range };

enum Column { Patient, Id, BirthDate, Sex, StudyDate, Time, Modalities, Description, Accession, Series, Images };
const QStringList kColumns = {"Patient", "ID", "Birth date", "Sex", "Study date", "Time", "Modalities",
                              "Description", "Accession", "Series", "Images"};
// What a reader picks a study by, in this order, fits a laptop's dock; the rest are hidden until
// asked for (the header's context menu).
const Column kShownOrder[] = {Patient, StudyDate, Modalities, Description, Images, Id, BirthDate, Sex, Time, Accession, Series};
const Column kHiddenAtFirst[] = {Id, BirthDate, Sex, Time, Accession, Series};

// Sorts text without regard to case ("adams" before "Baker"), numbers as numbers, and by a key
// where the text is not the order (a study date with its time: the newest first within a day).
class StudyItem : public QTableWidgetItem {
public:
    using QTableWidgetItem::QTableWidgetItem;
    static constexpr int kSortKey = Qt::UserRole + 1;
    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant key = data(kSortKey), otherKey = other.data(kSortKey);
        if (key.isValid() && otherKey.isValid()) return key.toString() < otherKey.toString();
        const QVariant shown = data(Qt::DisplayRole), otherShown = other.data(Qt::DisplayRole);
        if (shown.typeId() == QMetaType::Int && otherShown.typeId() == QMetaType::Int) return shown.toInt() < otherShown.toInt();
        const int folded = QString::compare(text(), other.text(), Qt::CaseInsensitive);
        return folded != 0 ? folded < 0 : text() < other.text(); // a stable order among "Smith" and "SMITH"
    }
};

} // namespace

StudyBrowser::StudyBrowser(const StudyCatalogue& catalogue, SeriesLoader& thumbnails, QWidget* parent)
    : QWidget(parent), m_catalogue(catalogue)
{
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText("Patient name (wildcards * ?)");
    m_id = new QLineEdit(this);
    m_id->setPlaceholderText("Patient ID");
    m_modality = new QComboBox(this);
    m_modality->addItems({"Any modality", "CT", "MR", "PT", "NM", "US", "CR", "DX", "MG", "XA", "RF", "OT", "SC"});
    m_datePreset = new QComboBox(this);
    m_datePreset->addItems({"Any date", "Today", "Yesterday", "Last 7 days", "Last 30 days", "Last 12 months", "Range"});
    m_from = new QDateEdit(QDate::currentDate().addDays(-7), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat("yyyy-MM-dd");
        edit->setEnabled(false);
    }
    auto* fields = new QGridLayout;
    fields->addWidget(m_name, 0, 0, 1, 2);
    fields->addWidget(m_id, 0, 2);
    fields->addWidget(m_modality, 1, 0);
    fields->addWidget(m_datePreset, 1, 1);
    auto* range = new QHBoxLayout;
    range->addWidget(m_from);
    range->addWidget(m_to);
    fields->addLayout(range, 1, 2);

    m_studies = new QTableWidget(0, kColumns.size(), this);
    m_studies->setHorizontalHeaderLabels(kColumns);
    m_studies->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_studies->setSelectionMode(QAbstractItemView::SingleSelection);
    m_studies->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_studies->verticalHeader()->hide();
    m_studies->setWordWrap(false); // long descriptions are elided (their tooltip has them whole)
    m_studies->setSortingEnabled(true);
    m_studies->sortByColumn(StudyDate, Qt::DescendingOrder); // the newest study first
    arrangeColumns();
    m_series = new SeriesStrip(thumbnails, this);

    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(2, 2, 2, 2);
    column->addLayout(fields);
    column->addWidget(m_studies, 3);
    column->addWidget(m_series, 2);

    for (QLineEdit* field : {m_name, m_id}) connect(field, &QLineEdit::textChanged, this, [this] { refresh(); });
    connect(m_modality, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_datePreset, &QComboBox::currentIndexChanged, this, [this](int preset) {
        m_from->setEnabled(preset == Range);
        m_to->setEnabled(preset == Range);
        refresh();
    });
    for (QDateEdit* edit : {m_from, m_to}) connect(edit, &QDateEdit::dateChanged, this, [this] { refresh(); });
    connect(m_studies, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_studies->selectionModel()->selectedRows();
        if (!rows.isEmpty()) selectStudy(m_studies->item(rows.first().row(), 0)->data(Qt::UserRole).toString());
    });
    // Double click, or Enter on the keyboard.
    connect(m_studies, &QTableWidget::activated, this, [this](const QModelIndex& index) {
        emit studyActivated(m_studies->item(index.row(), 0)->data(Qt::UserRole).toString());
    });
    connect(m_series, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit seriesActivated(item->data(Qt::UserRole).toString()); });
}

StudySearch StudyBrowser::search() const
{
    StudySearch filter;
    filter.patientName = m_name->text().toStdString();
    // As you type: an ID without wildcards matches as a prefix.
    filter.patientId = m_id->text().toStdString();
    if (!filter.patientId.empty() && filter.patientId.find_first_of("*?") == std::string::npos) filter.patientId += "*";
    if (m_modality->currentIndex() > 0) filter.modality = m_modality->currentText().toStdString();
    const QDate today = QDate::currentDate();
    switch (m_datePreset->currentIndex()) {
    case Today: filter.dateFrom = filter.dateTo = dicomDate(today); break;
    case Yesterday: filter.dateFrom = filter.dateTo = dicomDate(today.addDays(-1)); break;
    case LastWeek: filter.dateFrom = dicomDate(today.addDays(-6)); filter.dateTo = dicomDate(today); break;
    case LastMonth: filter.dateFrom = dicomDate(today.addDays(-29)); filter.dateTo = dicomDate(today); break;
    case LastYear: filter.dateFrom = dicomDate(today.addYears(-1)); filter.dateTo = dicomDate(today); break;
    case Range: filter.dateFrom = dicomDate(m_from->date()); filter.dateTo = dicomDate(m_to->date()); break;
    default: break;
    }
    return filter;
}

void StudyBrowser::refresh()
{
    StudySearch query = search();
    query.limit = 500;
    auto rows = m_catalogue.studies(query);
    m_studies->setSortingEnabled(false); // filling a sorted table re-sorts on every cell
    m_studies->setRowCount(0);
    if (!rows) {
        emit message(qs(rows.error().message()));
        return;
    }
    m_studies->setRowCount(static_cast<int>(rows->size()));
    for (int r = 0; r < static_cast<int>(rows->size()); ++r) {
        const auto& study = (*rows)[r];
        const QStringList cells = {personName(study.patientName), qs(study.patientId), date(study.patientBirthDate),
                                   qs(study.patientSex), date(study.studyDate), time(study.studyTime), qs(study.modalities),
                                   qs(study.description), qs(study.accessionNumber)};
        for (int c = 0; c < cells.size(); ++c) {
            m_studies->setItem(r, c, new StudyItem(cells[c]));
            m_studies->item(r, c)->setToolTip(cells[c]);
        }
        m_studies->item(r, StudyDate)->setData(StudyItem::kSortKey, qs(study.studyDate + study.studyTime));
        m_studies->item(r, BirthDate)->setData(StudyItem::kSortKey, qs(study.patientBirthDate));
        for (int c : {Series, Images}) { // numbers sort as numbers
            auto* item = new StudyItem;
            item->setData(Qt::DisplayRole, c == Series ? study.seriesCount : study.instanceCount);
            m_studies->setItem(r, c, item);
        }
        m_studies->item(r, Patient)->setData(Qt::UserRole, qs(study.studyUid));
    }
    m_studies->setSortingEnabled(true);
    emit message(QString("%1 studies%2").arg(rows->size()).arg(rows->size() == 500 ? " (the first 500: narrow the search)" : ""));
}

// Sensible widths for the shown columns (the description takes what is left), the others
// hidden; the header's context menu shows or hides any of them.
void StudyBrowser::arrangeColumns()
{
    auto* header = m_studies->horizontalHeader();
    for (int shown = 0; shown < static_cast<int>(std::size(kShownOrder)); ++shown)
        header->moveSection(header->visualIndex(kShownOrder[shown]), shown);
    for (Column hidden : kHiddenAtFirst) m_studies->setColumnHidden(hidden, true);
    const int digit = fontMetrics().horizontalAdvance('0');
    m_studies->setColumnWidth(Patient, 16 * digit);
    m_studies->setColumnWidth(StudyDate, 12 * digit);
    m_studies->setColumnWidth(Modalities, fontMetrics().horizontalAdvance(kColumns[Modalities]) + 3 * digit);
    m_studies->setColumnWidth(Images, 7 * digit);
    m_studies->setColumnWidth(Id, 11 * digit);
    header->setSectionResizeMode(Description, QHeaderView::Stretch);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint& at) {
        auto* menu = new QMenu(this);
        menu->setObjectName("studyColumns");
        menu->setAttribute(Qt::WA_DeleteOnClose);
        for (int c = 0; c < kColumns.size(); ++c) {
            QAction* toggle = menu->addAction(kColumns[c]);
            toggle->setCheckable(true);
            toggle->setChecked(!m_studies->isColumnHidden(c));
            toggle->setEnabled(c != Patient); // a list of studies names its patients
            connect(toggle, &QAction::toggled, this, [this, c](bool on) { m_studies->setColumnHidden(c, !on); });
        }
        menu->popup(header->viewport()->mapToGlobal(at));
    });
}

int StudyBrowser::studyCount() const
{
    return m_studies->rowCount();
}

QString StudyBrowser::selectedStudy() const
{
    return m_shownStudy;
}

void StudyBrowser::selectStudy(const QString& studyUid)
{
    if (studyUid == m_shownStudy && m_series->count() > 0) return;
    m_shownStudy = studyUid;
    m_series->showSeries(m_catalogue.seriesOf(studyUid.toStdString()), [this](const std::string& seriesUid) {
        const auto files = m_catalogue.seriesFiles(seriesUid);
        return files.empty() ? std::filesystem::path() : files[files.size() / 2];
    });
}

} // namespace lb::app::gui
