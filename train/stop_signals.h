// SIGINT (Ctrl-C) and SIGTERM ask a long run to stop at the next safe point instead of killing it.
// The handler only records the signal: the training loop polls `requested()` between steps, then saves
// a checkpoint and returns. The handler is one-shot (SA_RESETHAND): a second Ctrl-C kills the program
// at once, and the atomic checkpoint write keeps the previous checkpoint intact even then.
#pragma once

namespace gs::train {

class StopSignals {
 public:
  StopSignals();   // installs the handlers; one instance at a time
  ~StopSignals();  // restores the previous handlers
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool requested() const;
  int signal_number() const;  // the signal received, 0 if none
};

}  // namespace gs::train
