#include "medtwin/core/units.hpp"

#include <array>
#include <cmath>

namespace medtwin {
namespace {

enum class Dimension { mass, length, time, energy, temperature, frequency, pressure, volume, ratio, count,
                       mass_concentration, substance_concentration, area_density, speed, vo2, sound,
                       voltage, impedance, flow };

// value_in_base = value * factor + offset
struct UnitDef {
  std::string_view ucum;
  Dimension dimension;
  double factor;
  double offset = 0;
};

constexpr std::array kUnits = {
    UnitDef{"kg", Dimension::mass, 1}, UnitDef{"g", Dimension::mass, 1e-3}, UnitDef{"mg", Dimension::mass, 1e-6},
    UnitDef{"ug", Dimension::mass, 1e-9}, UnitDef{"[lb_av]", Dimension::mass, 0.45359237},
    UnitDef{"[oz_av]", Dimension::mass, 0.028349523125}, UnitDef{"[stone_av]", Dimension::mass, 6.35029318},
    UnitDef{"m", Dimension::length, 1}, UnitDef{"cm", Dimension::length, 1e-2}, UnitDef{"mm", Dimension::length, 1e-3},
    UnitDef{"km", Dimension::length, 1e3}, UnitDef{"[in_i]", Dimension::length, 0.0254},
    UnitDef{"[ft_i]", Dimension::length, 0.3048}, UnitDef{"[mi_i]", Dimension::length, 1609.344},
    UnitDef{"[yd_i]", Dimension::length, 0.9144},
    UnitDef{"s", Dimension::time, 1}, UnitDef{"ms", Dimension::time, 1e-3}, UnitDef{"min", Dimension::time, 60},
    UnitDef{"h", Dimension::time, 3600}, UnitDef{"d", Dimension::time, 86400},
    UnitDef{"kcal", Dimension::energy, 4184}, UnitDef{"cal", Dimension::energy, 4.184},
    UnitDef{"kJ", Dimension::energy, 1000}, UnitDef{"J", Dimension::energy, 1},
    UnitDef{"Cel", Dimension::temperature, 1, 273.15}, UnitDef{"K", Dimension::temperature, 1},
    UnitDef{"[degF]", Dimension::temperature, 5.0 / 9.0, 273.15 - 32 * 5.0 / 9.0},
    UnitDef{"/min", Dimension::frequency, 1.0 / 60}, UnitDef{"/s", Dimension::frequency, 1},
    UnitDef{"Hz", Dimension::frequency, 1}, UnitDef{"/h", Dimension::frequency, 1.0 / 3600},
    UnitDef{"mm[Hg]", Dimension::pressure, 133.322387415}, UnitDef{"kPa", Dimension::pressure, 1000},
    UnitDef{"Pa", Dimension::pressure, 1}, UnitDef{"L", Dimension::volume, 1}, UnitDef{"mL", Dimension::volume, 1e-3},
    UnitDef{"dL", Dimension::volume, 0.1}, UnitDef{"[foz_us]", Dimension::volume, 0.0295735295625},
    UnitDef{"%", Dimension::ratio, 0.01}, UnitDef{"1", Dimension::ratio, 1},
    UnitDef{"{count}", Dimension::count, 1}, UnitDef{"{steps}", Dimension::count, 1},
    UnitDef{"{beats}", Dimension::count, 1},
    UnitDef{"mg/dL", Dimension::mass_concentration, 1e-2}, UnitDef{"g/L", Dimension::mass_concentration, 1},
    UnitDef{"mmol/L", Dimension::substance_concentration, 1},
    UnitDef{"kg/m2", Dimension::area_density, 1},
    UnitDef{"m/s", Dimension::speed, 1}, UnitDef{"km/h", Dimension::speed, 1 / 3.6},
    UnitDef{"mL/(kg.min)", Dimension::vo2, 1}, UnitDef{"dB[SPL]", Dimension::sound, 1},
    // Biosignal channels (ECG, EEG, EMG, impedance, respiratory flow).
    UnitDef{"V", Dimension::voltage, 1}, UnitDef{"mV", Dimension::voltage, 1e-3},
    UnitDef{"uV", Dimension::voltage, 1e-6}, UnitDef{"nV", Dimension::voltage, 1e-9},
    UnitDef{"Ohm", Dimension::impedance, 1}, UnitDef{"kOhm", Dimension::impedance, 1e3},
    UnitDef{"L/min", Dimension::flow, 1}, UnitDef{"mL/min", Dimension::flow, 1e-3},
};

struct Alias {
  std::string_view vendor;
  std::string_view ucum;
};

// Spellings seen in Apple Health, Fitbit, Open mHealth and CSV exports.
constexpr std::array kAliases = {
    Alias{"count/min", "/min"}, Alias{"bpm", "/min"}, Alias{"beats/min", "/min"}, Alias{"breaths/min", "/min"},
    Alias{"{beats}/min", "/min"}, Alias{"{breaths}/min", "/min"}, Alias{"1/min", "/min"},
    Alias{"count", "{count}"}, Alias{"steps", "{steps}"}, Alias{"degC", "Cel"}, Alias{"°C", "Cel"},
    Alias{"C", "Cel"}, Alias{"degF", "[degF]"}, Alias{"°F", "[degF]"}, Alias{"F", "[degF]"},
    Alias{"lb", "[lb_av]"}, Alias{"lbs", "[lb_av]"}, Alias{"oz", "[oz_av]"}, Alias{"st", "[stone_av]"},
    Alias{"in", "[in_i]"}, Alias{"ft", "[ft_i]"}, Alias{"mi", "[mi_i]"}, Alias{"yd", "[yd_i]"},
    Alias{"mmHg", "mm[Hg]"}, Alias{"Cal", "kcal"}, Alias{"sec", "s"}, Alias{"hr", "h"}, Alias{"hours", "h"},
    Alias{"minutes", "min"}, Alias{"seconds", "s"}, Alias{"mL/min·kg", "mL/(kg.min)"},
    Alias{"ml/(kg*min)", "mL/(kg.min)"}, Alias{"dBASPL", "dB[SPL]"}, Alias{"ml", "mL"}, Alias{"l", "L"},
    Alias{"fl_oz_us", "[foz_us]"}, Alias{"percent", "%"}, Alias{"kg/m^2", "kg/m2"}, Alias{"mcg", "ug"},
    Alias{"kilocalories", "kcal"}, Alias{"kilograms", "kg"}, Alias{"pounds", "[lb_av]"},
    Alias{"meters", "m"}, Alias{"kilometers", "km"}, Alias{"miles", "[mi_i]"}, Alias{"mg/dl", "mg/dL"},
    Alias{"mmol/l", "mmol/L"}, Alias{"msec", "ms"}, Alias{"ohm", "Ohm"}, Alias{"l/min", "L/min"},
    Alias{"\xC2\xB5V", "uV"} /* µ MICRO SIGN */, Alias{"\xCE\xBCV", "uV"} /* μ GREEK MU */,
    Alias{"\xB5V", "uV"} /* µ in Latin-1: EDF headers should be ASCII, some writers are not */,
};

const UnitDef* find_unit(std::string_view ucum) {
  for (const auto& unit : kUnits)
    if (unit.ucum == ucum) return &unit;
  return nullptr;
}

constexpr double kGlucoseMolarMass = 180.156;      // g/mol, C6H12O6
constexpr double kCholesterolMolarMass = 386.65;   // g/mol, C27H46O

// mg/dL ↔ mmol/L of a substance of the given molar mass: mg/dL × 10 (dL per L) / molar mass.
std::optional<double> convert_by_molar_mass(double value, std::string_view from, std::string_view to,
                                            double grams_per_mol) {
  if (from == "mg/dL" && to == "mmol/L") return value * 10.0 / grams_per_mol;
  if (from == "mmol/L" && to == "mg/dL") return value * grams_per_mol / 10.0;
  return convert_unit(value, from, to);
}

}  // namespace

std::optional<std::string> to_ucum(std::string_view vendor_unit) {
  if (find_unit(vendor_unit)) return std::string(vendor_unit);
  for (const auto& alias : kAliases)
    if (alias.vendor == vendor_unit) return std::string(alias.ucum);
  return std::nullopt;
}

std::optional<double> convert_unit(double value, std::string_view from, std::string_view to) {
  if (from == to) return value;
  const UnitDef* a = find_unit(from);
  const UnitDef* b = find_unit(to);
  if (!a || !b || a->dimension != b->dimension) return std::nullopt;
  double base = value * a->factor + a->offset;
  return (base - b->offset) / b->factor;
}

std::optional<double> convert_glucose(double value, std::string_view from, std::string_view to) {
  return convert_by_molar_mass(value, from, to, kGlucoseMolarMass);
}

std::optional<double> convert_cholesterol(double value, std::string_view from, std::string_view to) {
  return convert_by_molar_mass(value, from, to, kCholesterolMolarMass);
}

std::string display_unit(std::string_view ucum) {
  if (ucum == "1") return "";
  if (ucum == "Cel") return "°C";
  if (ucum == "mm[Hg]") return "mmHg";
  if (ucum.size() > 2 && ucum.front() == '{' && ucum.back() == '}') return std::string(ucum.substr(1, ucum.size() - 2));
  return std::string(ucum);
}

}  // namespace medtwin
