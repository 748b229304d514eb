#pragma once
// Cooperative cancellation: the requester calls cancel(); long loops poll isCancelled().
#include <atomic>

namespace lb::core {

class CancelToken {
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

} // namespace lb::core
