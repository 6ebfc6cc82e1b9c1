// Independent jobs on a few threads: the drug simulations of cardio (doses,
// uncertainty samples) run this way. Thread-safe by construction as long as
// each job writes only its own outputs.
#pragma once

#include <cstddef>
#include <functional>

namespace medtwin {

// Runs job(0 … count−1) on up to `threads` threads (the caller's included);
// after a failure no further job starts, and the first exception (by job
// index) is rethrown once all have stopped. threads < 1 counts as 1.
void run_parallel(std::size_t count, int threads, const std::function<void(std::size_t)>& job);

}  // namespace medtwin
