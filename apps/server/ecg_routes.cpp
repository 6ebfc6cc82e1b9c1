#include "apps/server/ecg_routes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "apps/server/request_values.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/ecg_report_json.hpp"

namespace medtwin::server {

nlohmann::json start_ecg_analysis(ApiRequest& r) {
  const auto id = whole_number(r.path_values.at(1), "signal");
  const auto signals = r.store.signals(r.person->name);
  const auto info = std::find_if(signals.begin(), signals.end(), [&](const SignalInfo& s) { return s.id == id; });
  if (info == signals.end()) throw ApiError(404, "no such signal");
  if (info->kind != "ECG") throw ApiError(400, "signal: not an ECG");
  const auto lead = r.query("lead");
  if (lead && std::none_of(info->channels.begin(), info->channels.end(), [&](const auto& c) { return c.label == *lead; }))
    throw ApiError(400, "lead: not a channel of this signal");
  // A recording never changes: its analysis is kept (by everything that names
  // it, so a signal id used again after an erasure cannot find another's).
  const auto key = fmt::format("ecg/{}/{}/{}/{}/{}", r.person->id, id, to_epoch_ms(info->start), info->sample_count,
                               lead.value_or(""));
  auto work = [id, lead, key, &cache = r.cache](Store& store, JobProgress& progress) -> nlohmann::json {
    return cache.get(key, [&] {
      progress.report(0.05, "reading the recording");
      const auto ecg = store.read_signal(id);
      progress.report(0.2, "analysing beats, intervals, rhythm and quality");
      auto report = analyse_ecg(ecg, lead);
      report.source = "signal " + std::to_string(id);  // not the file's name: the server does not know it
      return ecg_report_json(report, true);
    });
  };
  const auto job = r.jobs.start(r.person->id, "ecg-analysis", std::move(work));
  if (!job) throw ApiError(503, "too many jobs are waiting; try again shortly");
  return job_json(*job);
}

}  // namespace medtwin::server
