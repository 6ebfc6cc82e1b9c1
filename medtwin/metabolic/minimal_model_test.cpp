#include "medtwin/metabolic/minimal_model.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

// The normal subject's IVGTT of Pacini & Bergman 1986 (shared data; not bundled).
Ivgtt pacini_bergman_normal() {
  std::ifstream in(std::string(MEDTWIN_SHARED_DATA) + "/glucose/literature_params/ivgtt_pacini_bergman1986_normal.csv");
  std::string line;
  std::getline(in, line);  // header
  Ivgtt test;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream s(line);
    std::string t, g, i;
    std::getline(s, t, ',');
    std::getline(s, g, ',');
    std::getline(s, i, ',');
    test.t.push_back(std::stod(t));
    test.glucose.push_back(std::stod(g));
    test.insulin.push_back(std::stod(i));
  }
  return test;
}

// Known parameters in, the same parameters out: glucose simulated with the
// subject's own insulin and fitted again.
TEST(MinimalModel, FitRecoversTheParametersOfASimulatedTest) {
  Ivgtt test = pacini_bergman_normal();
  const MinimalModel truth{0.025, 0.03, 6e-4, 280, test.glucose[0], test.insulin[0]};
  const auto simulated = minimal_model_glucose(truth, test, test.t);
  for (std::size_t i = 1; i < test.t.size(); ++i) test.glucose[i] = simulated[i];
  const MinimalModelFit fit = fit_minimal_model(test);
  EXPECT_NEAR(fit.model.sg, truth.sg, 1e-4 * truth.sg);
  EXPECT_NEAR(fit.model.p2, truth.p2, 1e-4 * truth.p2);
  EXPECT_NEAR(fit.model.si, truth.si, 1e-4 * truth.si);
  EXPECT_NEAR(fit.model.g0, truth.g0, 1e-4 * truth.g0);
  EXPECT_LT(fit.rmse_mg_dl, 1e-3);
}

// The published normal subject: a close fit, with parameters in the range of
// normal subjects (Bergman 1979/1989 reviews: SG ≈ 0.01–0.04 /min, SI ≈ 2–15·10⁻⁴
// /min per µU/mL, p2 ≈ 0.01–0.1 /min).
TEST(MinimalModel, FitsThePaciniBergmanNormalSubject) {
  const MinimalModelFit fit = fit_minimal_model(pacini_bergman_normal());
  std::printf("Pacini & Bergman 1986 normal subject: SG %.4f /min, p2 %.4f /min, SI %.2e /min per µU/mL, G0 %.0f mg/dL; "
              "RMSE %.2f mg/dL over %d samples; CV SG %.0f %%, p2 %.0f %%, SI %.0f %%, G0 %.0f %%\n",
              fit.model.sg, fit.model.p2, fit.model.si, fit.model.g0, fit.rmse_mg_dl, fit.samples, fit.cv_percent[0],
              fit.cv_percent[1], fit.cv_percent[2], fit.cv_percent[3]);
  EXPECT_LT(fit.rmse_mg_dl, 4);  // the card's figures: RMSE 3.6, SI 8.1e-4 (well determined, CV 7 %)
  EXPECT_NEAR(fit.model.si, 8.07e-4, 0.05 * 8.07e-4);
  EXPECT_LT(fit.cv_percent[2], 10);
  EXPECT_GT(fit.model.sg, 0.01);
  EXPECT_LT(fit.model.sg, 0.04);
  EXPECT_GT(fit.model.si, 2e-4);
  EXPECT_LT(fit.model.si, 15e-4);
  EXPECT_GT(fit.model.p2, 0.005);
  EXPECT_LT(fit.model.p2, 0.1);
}

TEST(MinimalModel, BadTestsAreErrors) {
  Ivgtt test = pacini_bergman_normal();
  test.t[0] = 1;
  EXPECT_THROW(fit_minimal_model(test), Error);
  test = pacini_bergman_normal();
  test.glucose[5] = -1;
  EXPECT_THROW(fit_minimal_model(test), Error);
  test = pacini_bergman_normal();
  EXPECT_THROW(fit_minimal_model(test, 150), Error);  // too few samples left
  const MinimalModel m{0.02, 0.02, 5e-4, 250, 92, 11};
  EXPECT_THROW(minimal_model_glucose(m, test, std::vector<double>{10, 500}), Error);  // beyond the last sample
  EXPECT_THROW(minimal_model_glucose(m, test, std::vector<double>{20, 10}), Error);   // decreasing
}

}  // namespace
}  // namespace medtwin::metabolic
