// graphstyle::StopSignals (graphstyle/process.hpp): SIGINT and SIGTERM recorded, for a long run to poll.
#include <atomic>
#include <csignal>

#include "graphstyle/error.hpp"
#include "graphstyle/process.hpp"

namespace graphstyle {

namespace {
// Lock-free, so storing to it is async-signal-safe; 0 = no signal yet.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);
bool g_installed = false;
struct sigaction g_previous_int, g_previous_term;

void record_signal(int signal_number) { g_signal.store(signal_number); }
}  // namespace

StopSignals::StopSignals() {
  if (g_installed) throw Error(ErrorCode::invalid_argument, "StopSignals: one is installed already");
  g_signal.store(0);
  struct sigaction action = {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // one-shot; blocking calls resume after it
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
  g_installed = true;
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  g_installed = false;
}

bool StopSignals::requested() const { return g_signal.load() != 0; }
int StopSignals::signal_number() const { return g_signal.load(); }

}  // namespace graphstyle
