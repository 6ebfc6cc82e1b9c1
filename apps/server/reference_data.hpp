// Reference data the server reads besides the store: the CiPA drug tables
// (heart drug test) and the folder of tumour plans the tumour page offers.
// An empty path: the server has none, and the pages that need it say so.
#pragma once

#include <filesystem>

namespace medtwin::server {

struct ReferenceData {
  std::filesystem::path cipa_tables;
  std::filesystem::path tumour_plans;
};

}  // namespace medtwin::server
