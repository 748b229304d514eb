#pragma once
// DicomHeader: what the cache and the browser need to know about one DICOM file, read without
// its pixel data. Every text is UTF-8 (converted according to SpecificCharacterSet).
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace lb::core {

struct PatientInfo {
    std::string name;      // DICOM PN, components joined by '^', groups by '='
    std::string id;
    std::string issuer;    // IssuerOfPatientID (0010,0021): who assigned `id`
    std::string birthDate; // YYYYMMDD as stored
    std::string sex;
};

struct StudyInfo {
    std::string instanceUid;
    std::string date; // YYYYMMDD
    std::string time; // HHMMSS[.frac]
    std::string description;
    std::string accessionNumber;
    std::string referringPhysician;
    std::string modalitiesInStudy; // as stored in the file (often absent); '\\'-separated
};

struct SeriesInfo {
    std::string instanceUid;
    std::optional<int> number;
    std::string modality;
    std::string description;
    std::string bodyPart;
};

struct InstanceInfo {
    std::string sopClassUid;
    std::string sopInstanceUid;
    std::optional<int> number;
    std::string transferSyntaxUid; // of the file as read (meta header, or detected)
    int rows = 0;
    int columns = 0;
    int frames = 0; // 0 when the object has no pixel data
    std::optional<std::array<double, 3>> imagePosition;    // IPP, LPS mm
    std::optional<std::array<double, 6>> imageOrientation; // IOP: row cosines, column cosines
    bool hasPixelData = false;
};

struct DicomHeader {
    PatientInfo patient;
    StudyInfo study;
    SeriesInfo series;
    InstanceInfo instance;
    std::string specificCharacterSet; // as stored, '\\'-separated
    // Problems that did not stop the read (e.g. "truncated after the header"), shown to the user.
    std::vector<std::string> warnings;
};

} // namespace lb::core
