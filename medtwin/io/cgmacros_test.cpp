#include "medtwin/io/cgmacros.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader =
    "Timestamp,Libre GL,Dexcom GL,HR,METs,Meal Type,Calories,Carbs,Protein,Fat,Fiber,Amount Consumed,Image path\n";

CollectingSink read_text(const std::string& text, const ImportOptions& options = with_tz("UTC")) {
  CollectingSink sink;
  read_cgmacros(text, "CGMacros-099.csv", options, sink);
  return sink;
}

std::string error_of(const std::string& text, const ImportOptions& options = with_tz("UTC")) {
  try {
    read_text(text, options);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

// A sensor read every `period` minutes, filled in linearly on the 1-minute grid.
std::vector<GridValue> interpolated(const std::vector<double>& readings, int period) {
  std::vector<GridValue> grid;
  for (std::size_t k = 0; k + 1 < readings.size(); ++k)
    for (int m = 0; m < period; ++m)
      grid.push_back({std::int64_t(k) * period + m, readings[k] + (readings[k + 1] - readings[k]) * m / period});
  grid.push_back({std::int64_t(readings.size() - 1) * period, readings.back()});
  return grid;
}

TEST(CgmacrosSensorReadings, RecoversTheReadingsBehindALinearFill) {
  // 100 → 110 → 120 is one straight line: the middle reading is found by its period.
  std::vector<double> readings = {100, 110, 120, 95.5, 95.5, 140.25, 101};
  auto grid = interpolated(readings, 15);
  auto rows = sensor_reading_rows(grid, 15);
  ASSERT_EQ(rows.size(), readings.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    EXPECT_EQ(grid[rows[k]].minute, std::int64_t(k) * 15);
    EXPECT_DOUBLE_EQ(grid[rows[k]].value, readings[k]);
  }
}

TEST(CgmacrosSensorReadings, AGapEndsAndStartsAStretch) {
  std::vector<GridValue> grid = {{0, 100}, {1, 101}, {2, 102}, {40, 90}, {41, 91}};
  auto rows = sensor_reading_rows(grid, 15);
  EXPECT_EQ(rows, (std::vector<std::size_t>{0, 2, 3, 4}));
}

TEST(Cgmacros, ReadsReadingsMealsAndHeartRate) {
  std::string text = kHeader;
  for (int m = 0; m <= 30; ++m) {
    double libre = m <= 15 ? 90 + m : 105 - (m - 15) * 0.5;
    std::string meal = m == 5 ? "Lunch,500,60,20,10,3,100," : ",,,,,,,";
    text += fmt::format("2020-05-01 10:{:02d}:00,{},,{},1.5,{}\n", m, libre, 60 + m % 3, meal);
  }
  auto sink = read_text(text);
  ASSERT_EQ(sink.persons.size(), 1u);
  EXPECT_EQ(sink.persons[0].source_id, "CGMacros-099");
  std::vector<double> glucose;
  std::size_t heart_rates = 0;
  for (const auto& obs : sink.observations) {
    if (obs.code == metrics::interstitial_glucose().code) {
      EXPECT_EQ(obs.source, "Libre Pro");
      glucose.push_back(*obs.value);
    }
    if (obs.code == metrics::heart_rate().code) ++heart_rates;
  }
  EXPECT_EQ(glucose, (std::vector<double>{90, 105, 97.5}));
  EXPECT_EQ(heart_rates, 31u);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].kind, "meal");
  EXPECT_EQ(*sink.events[0].amount, 60);
  EXPECT_EQ(format_instant(sink.events[0].start), "2020-05-01T10:05:00.000Z");
  EXPECT_NE(sink.events[0].details_json.find("\"protein_g\":20"), std::string::npos);
}

TEST(Cgmacros, BadInputNamesTheLineAndColumn) {
  std::string row = "2020-05-01 10:00:00,90,,60,1,,,,,,,,\n";
  EXPECT_NE(error_of(std::string(kHeader) + row, ImportOptions{}).find("--tz"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHeader) + row + row).find("CGMacros-099.csv:3:1:"), std::string::npos);
  std::string negative = "2020-05-01 10:01:00,90,,60,1,Lunch,100,-5,,,,,\n";
  EXPECT_NE(error_of(std::string(kHeader) + row + negative).find("'Carbs'"), std::string::npos);
  std::string text_glucose = "2020-05-01 10:01:00,high,,60,1,,,,,,,,\n";
  EXPECT_NE(error_of(std::string(kHeader) + row + text_glucose).find("'Libre GL'"), std::string::npos);
  EXPECT_NE(error_of("Timestamp,Libre GL\n").find("Dexcom GL"), std::string::npos);
}

TEST(Cgmacros, ImplausibleValuesAreSkippedWithAnIssue) {
  std::string text = std::string(kHeader) + "2020-05-01 10:00:00,90,,60,10,,,,,,,,\n" +
                     "2020-05-01 10:01:00,5000,,400,10,,,,,,,,\n";
  auto sink = read_text(text);
  EXPECT_EQ(sink.issues.size(), 2u);  // glucose 5000, heart rate 400
  std::size_t glucose = 0, mets = 0;
  for (const auto& obs : sink.observations) {
    glucose += obs.code == metrics::interstitial_glucose().code;
    if (obs.code.code == "fitbit-mets") {
      ++mets;
      EXPECT_DOUBLE_EQ(*obs.value, 1.0);  // written ×10
    }
  }
  EXPECT_EQ(glucose, 1u);
  EXPECT_EQ(mets, 2u);
}

TEST(Cgmacros, ADaylightSavingChangeIsAnError) {
  std::string text = std::string(kHeader) + "2020-03-08 01:59:00,90,,60,10,,,,,,,,\n" +
                     "2020-03-08 02:00:00,90,,60,10,,,,,,,,\n" + "2020-03-08 03:00:00,90,,60,10,,,,,,,,\n";
  EXPECT_NE(error_of(text, with_tz("America/New_York")).find("import it with --tz UTC"), std::string::npos);
  EXPECT_EQ(error_of(text), "");
}

TEST(CgmacrosSharedData, LibreEveryFifteenAndDexcomEveryFiveMinutes) {
  fs::path path = shared_data("cgm/cgmacros/cgm/CGMacros-001.csv");
  auto importer = make_cgmacros_importer();
  ASSERT_TRUE(importer->accepts(path, read_head(path), with_tz("UTC")));
  CollectingSink sink;
  importer->read(path, with_tz("UTC"), sink);
  std::map<std::string, std::vector<Instant>> readings;
  for (const auto& obs : sink.observations)
    if (obs.code == metrics::interstitial_glucose().code) readings[obs.source].push_back(obs.start);
  auto share_at = [&](const std::string& source, std::chrono::minutes step) {
    const auto& times = readings[source];
    std::size_t regular = 0;
    for (std::size_t i = 1; i < times.size(); ++i) regular += times[i] - times[i - 1] == step;
    return double(regular) / double(times.size() - 1);
  };
  EXPECT_GT(readings["Libre Pro"].size(), 900u);
  EXPECT_GT(share_at("Libre Pro", std::chrono::minutes{15}), 0.95);
  EXPECT_GT(share_at("Dexcom G6", std::chrono::minutes{5}), 0.80);
  EXPECT_GT(sink.events.size(), 30u);
}

}  // namespace
}  // namespace medtwin
