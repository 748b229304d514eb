#pragma once
// Ctrl-C (SIGINT) or SIGTERM cancels a running network operation cleanly (C-CANCEL, release)
// instead of killing the process: while an InterruptCancels lives, either signal triggers
// the token.
#include "core/CancelToken.h"

#include <atomic>
#include <thread>

namespace lb::app::cli {

class InterruptCancels {
public:
    explicit InterruptCancels(core::CancelToken& token);
    ~InterruptCancels();
    InterruptCancels(const InterruptCancels&) = delete;
    InterruptCancels& operator=(const InterruptCancels&) = delete;

private:
    core::CancelToken& m_token;
    std::atomic<bool> m_done{false};
    std::thread m_watcher; // a signal handler may only set a flag; this thread passes it on
};

} // namespace lb::app::cli
