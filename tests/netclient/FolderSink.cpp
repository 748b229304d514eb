#include "tests/netclient/FolderSink.h"

namespace lb::test {

FolderSink::FolderSink(std::filesystem::path folder) : m_folder(std::move(folder))
{
    std::filesystem::create_directories(m_folder);
}

core::Status FolderSink::accept(const netclient::ReceivedInstance& instance)
{
    std::lock_guard lock(m_mutex);
    if (m_refuse) return core::makeError(core::ErrorCode::Io, instance.file.string(), "refused by the test");
    m_received.push_back(instance);
    return {};
}

std::vector<netclient::ReceivedInstance> FolderSink::received() const
{
    std::lock_guard lock(m_mutex);
    return m_received;
}

} // namespace lb::test
