#include "app/cli/InterruptCancels.h"

#include <chrono>
#include <csignal>

namespace lb::app::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void onInterrupt(int)
{
    g_interrupted = 1;
}

} // namespace

InterruptCancels::InterruptCancels(core::CancelToken& token) : m_token(token)
{
    g_interrupted = 0;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    m_watcher = std::thread([this] {
        while (!m_done.load()) {
            if (g_interrupted) m_token.cancel();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
}

InterruptCancels::~InterruptCancels()
{
    m_done = true;
    m_watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace lb::app::cli
