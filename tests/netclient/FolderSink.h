#pragma once
// A test InstanceSink: keeps every received file in a folder and remembers what arrived.
#include "netclient/InstanceSink.h"

#include <mutex>
#include <vector>

namespace lb::test {

class FolderSink : public netclient::InstanceSink {
public:
    explicit FolderSink(std::filesystem::path folder);
    std::filesystem::path spoolDirectory() const override { return m_folder; }
    core::Status accept(const netclient::ReceivedInstance& instance) override;
    std::vector<netclient::ReceivedInstance> received() const;
    void refuseFromNowOn() { m_refuse = true; }

private:
    std::filesystem::path m_folder;
    mutable std::mutex m_mutex;
    std::vector<netclient::ReceivedInstance> m_received;
    bool m_refuse = false;
};

} // namespace lb::test
