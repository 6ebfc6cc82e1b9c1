// Writes synthetic FHIR R4 bulk-data NDJSON shaped like Synthea's output for
// import benchmarks (see fhir_ndjson_lines.hpp):
//   gen_fhir_ndjson OUT.ndjson OBSERVATIONS [seed]
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "fhir_ndjson_lines.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gen_fhir_ndjson OUT.ndjson OBSERVATIONS [seed]\n");
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  if (!out) {
    std::fprintf(stderr, "gen_fhir_ndjson: cannot write %s\n", argv[1]);
    return 1;
  }
  long long observations = std::atoll(argv[2]);
  unsigned long long seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42;
  long long lines = medtwin::bench::write_fhir_ndjson(out, observations, seed);
  out.close();
  if (!out) {
    std::fprintf(stderr, "gen_fhir_ndjson: write failed\n");
    return 1;
  }
  std::printf("%s: %lld lines, at least %lld observations\n", argv[1], lines, observations);
  return 0;
}
