#include "app/cli/InterruptCancels.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>

namespace lb::app::cli {
namespace {

// Set by the handler, read by the watcher thread: a lock-free atomic is both signal-safe and a
// well-defined way between threads (a volatile sig_atomic_t is only the former: ThreadSanitizer
// reported the race).
std::atomic<int> g_interrupted{0};
static_assert(std::atomic<int>::is_always_lock_free);

void onInterrupt(int)
{
    const int saved = errno; // a handler leaves errno as it found it
    g_interrupted.store(1, std::memory_order_relaxed);
    errno = saved;
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
