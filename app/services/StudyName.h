#pragma once
// How the workstation names a study to a user (the job panel's transfers, the remote browser):
// patient, description and date, "DOE, JOHN · CT HEAD · 2024-03-01", instead of its UID.
#include <QString>

#include <string>

namespace lb::app {

// DICOM PN "Family^Given^Middle" as people read it: "Family, Given Middle".
QString readablePersonName(const std::string& dicom);
// DICOM DA "YYYYMMDD" as ISO "YYYY-MM-DD" (anything else as it came).
QString readableDate(const std::string& yyyymmdd);
// The parts that are not empty, joined by " · "; "" when all are.
QString studyName(const std::string& patientName, const std::string& description, const std::string& yyyymmdd);

} // namespace lb::app
