// A virtual patient wearing a CGM and an insulin pump, dosed by a controller
// that sees only the sensor: simglucose's T1DSimEnv with its InsulinPump and
// BBController (basal-bolus therapy as a person with type 1 diabetes practises
// it). Every sensor sample time the controller reads the mean CGM and the mean
// announced carbohydrate of the period just ended and sets the basal and bolus
// rates for the next period; the pump rounds them to its increments and
// limits; the patient is stepped minute by minute as in simglucose.
// Pure; card docs/models/uva_padova.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "medtwin/metabolic/cgm_sensor.hpp"
#include "medtwin/metabolic/t1d_simulation.hpp"
#include "medtwin/metabolic/uva_padova.hpp"

namespace medtwin::metabolic {

// One row of simglucose's pump_params.csv. Bolus and basal are rates (U/min),
// rounded to increments given in pmol/min (1 U = 6000 pmol).
struct InsulinPumpParams {
  std::string name;
  double min_bolus = 0, max_bolus = 0, inc_bolus = 0;
  double min_basal = 0, max_basal = 0, inc_basal = 0;
};
double pump_bolus_rate(const InsulinPumpParams& pump, double u_per_min);
double pump_basal_rate(const InsulinPumpParams& pump, double u_per_min);

// Basal-bolus therapy: a basal rate, and with a rule, after a period with
// announced carbohydrate a bolus of carbs/CR + (CGM > 150)·(CGM − target)/CF
// units, delivered over the next period.
struct BasalBolusController {
  double basal_u_per_min = 0;
  std::optional<MealBolusRule> rule;
};

// One sensor period: time at its start (min), mean BG and CGM over the period
// that ended there (row 0: at the start), and the mean carbohydrate (g/min) and
// insulin (U/min) of the period that begins there (none on the last row).
struct ClosedLoopRow {
  double minute = 0;
  double glucose_mg_dl = 0;
  double cgm_mg_dl = 0;
  double carbs_g_per_min = 0;
  double insulin_u_per_min = 0;
};

struct ClosedLoopSetup {
  CgmSensorParams sensor;
  std::uint32_t sensor_seed = 0;
  InsulinPumpParams pump;
  BasalBolusController controller;
};

struct ClosedLoopRun {
  std::vector<ClosedLoopRow> periods;  // as simglucose records them
  std::vector<T1dMinute> minutes;      // minute by minute, with the CGM reading held at each
};

// `minutes` (rounded up to whole sensor periods) of meals (announced grams at
// their minute); throws Error on a bad scenario or an integration failure.
ClosedLoopRun simulate_closed_loop(const UvaPadovaParams& patient, const ClosedLoopSetup& setup,
                                   std::span<const MealEvent> meals, int minutes);

}  // namespace medtwin::metabolic
